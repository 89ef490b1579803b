using Dapper;
using Tidings.Storage;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// Each enabled webhook's position in the journal: a <c>consumer_cursors</c> row <c>webhook:&lt;id&gt;</c>. A new or
/// re-enabled webhook starts at the journal's end (it hears of what happens from then on; older events can be
/// replayed). A disabled webhook has no cursor, so it does not hold back the journal's retention.
/// </summary>
public static class WebhookCursors
{
    public static string Name(long webhookId) => "webhook:" + webhookId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the cursor at the journal's end unless the webhook has one.</summary>
    public static Task StartAtEndAsync(WriteContext w, long webhookId) => w.Connection.ExecuteAsync(
        "INSERT INTO consumer_cursors (name, seq) SELECT @name, COALESCE(MAX(seq), 0) FROM journal WHERE true ON CONFLICT (name) DO NOTHING",
        new { name = Name(webhookId) }, w.Transaction);

    public static Task RemoveAsync(WriteContext w, long webhookId) => w.Connection.ExecuteAsync(
        "DELETE FROM consumer_cursors WHERE name = @name", new { name = Name(webhookId) }, w.Transaction);
}
