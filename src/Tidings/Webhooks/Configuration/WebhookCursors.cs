using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// Each enabled webhook's position in the journal: the consumer cursor <c>webhook:&lt;id&gt;</c>. A new or re-enabled
/// webhook starts at the journal's end (it hears of what happens from then on; older events can be replayed). A
/// disabled webhook has no cursor, so it does not hold back the journal's retention.
/// </summary>
internal static class WebhookCursors
{
    /// <summary>What the names of all webhook cursors start with.</summary>
    public const string Prefix = "webhook:";

    public static string Name(long webhookId) => Prefix + webhookId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the cursor at the journal's end unless the webhook has one.</summary>
    public static Task StartAtEndAsync(WriteContext w, long webhookId) => ConsumerCursors.StartAtEndAsync(w, Name(webhookId));

    public static Task<long> ReadAsync(WriteContext w, long webhookId) => ConsumerCursors.ReadAsync(w, Name(webhookId));

    /// <summary>Moves the cursor forward; a webhook disabled meanwhile has no cursor, and does not get one back.</summary>
    public static Task AdvanceAsync(WriteContext w, long webhookId, long seq) => ConsumerCursors.AdvanceAsync(w, Name(webhookId), seq);

    public static Task RemoveAsync(WriteContext w, long webhookId) => ConsumerCursors.RemoveAsync(w, Name(webhookId));
}
