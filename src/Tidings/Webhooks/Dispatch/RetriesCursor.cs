using System.Globalization;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The retry store's hold on the journal: the consumer cursor <c>webhooks:retries</c>, just below the oldest journal
/// record a pending delivery still needs. Pending deliveries of a webhook disabled for longer than
/// <see cref="DispatchOptions.DisabledHold"/> no longer count, so a webhook left disabled cannot keep every record
/// behind it for ever (<see cref="DisabledWebhookRetention"/> counts what it loses).
/// </summary>
internal static class RetriesCursor
{
    public const string Name = "webhooks:retries";

    /// <summary>Webhooks disabled before this (Unix ms) no longer hold records back.</summary>
    public static long HoldCutoff(TimeProvider time, DispatchOptions options) =>
        time.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.DisabledHold.TotalMilliseconds;

    public static Task UpdateAsync(WriteContext w, long holdCutoff) => ConsumerCursors.ReplaceAsync(w, Name, string.Create(CultureInfo.InvariantCulture,
        $"SELECT MIN(d.journal_seq) - 1 AS seq FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id WHERE d.status = 'pending' AND {Holding("h", holdCutoff)} HAVING COUNT(*) > 0"));

    /// <summary>SQL condition on the webhook <paramref name="alias"/>: its pending deliveries still hold journal records.</summary>
    public static string Holding(string alias, long holdCutoff) => string.Create(CultureInfo.InvariantCulture,
        $"({alias}.enabled = 1 OR {alias}.disabled_at IS NULL OR {alias}.disabled_at >= {holdCutoff})");
}
