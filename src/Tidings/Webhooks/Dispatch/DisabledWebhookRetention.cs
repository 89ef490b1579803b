using System.Globalization;
using Dapper;
using Tidings.Accounts;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Lets go of the journal records a disabled webhook's waiting retries hold once it has been disabled for longer than
/// <see cref="DispatchOptions.DisabledHold"/>. Before each retention sweep the retry store's cursor is brought up to
/// date (time alone may have released a webhook); after a sweep, pending deliveries of such webhooks whose records were
/// removed are marked failed, counted as lost on the webhook (range of seq, when), and the account gets one notice per
/// time the webhook was disabled.
/// </summary>
internal sealed class DisabledWebhookRetention(IStorage storage, TimeProvider time, DispatchOptions options, ILogger<DisabledWebhookRetention> logger)
    : IJournalRetentionHook
{
    public const string LostError = "The event is no longer in the journal: retention removed it while the webhook was disabled (Webhooks:Dispatch:DisabledHold)";
    public const string NoticeKind = "webhook.events_lost";

    public Task BeforeSweepAsync(CancellationToken ct) => storage.WriteAsync(async w =>
    {
        w.LeavesProfilesAlone();
        await RetriesCursor.UpdateAsync(w, RetriesCursor.HoldCutoff(time, options));
        return 0;
    }, ct);

    public async Task AfterSweepAsync(long deleted, CancellationToken ct)
    {
        var cutoff = RetriesCursor.HoldCutoff(time, options);
        await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var webhooks = (await w.Connection.QueryAsync<(long Id, long AccountId, string Handler, long Noticed)>(
                "SELECT h.id, h.account_id, h.handler, CASE WHEN h.lost_at IS NOT NULL AND h.lost_at >= h.disabled_at THEN 1 ELSE 0 END " +
                $"FROM webhooks h WHERE NOT {RetriesCursor.Holding("h", cutoff)} AND EXISTS (SELECT 1 FROM webhook_deliveries d " +
                $"WHERE d.webhook_id = h.id AND d.status = 'pending' AND NOT {JournalLookups.RecordKept("d.journal_seq")})",
                transaction: w.Transaction)).ToList();
            var total = 0L;
            foreach (var h in webhooks)
            {
                // RETURNING: on PostgreSQL a concurrent sweep waits on these rows and then finds them no longer pending.
                var seqs = (await w.Connection.QueryAsync<long>(
                    "UPDATE webhook_deliveries SET status = 'failed', last_error = @LostError WHERE webhook_id = @Id AND status = 'pending' " +
                    $"AND NOT {JournalLookups.RecordKept("webhook_deliveries.journal_seq")} RETURNING journal_seq",
                    new { LostError, h.Id }, w.Transaction)).ToList();
                if (seqs.Count == 0) continue;
                total += seqs.Count;
                await w.Connection.ExecuteAsync(
                    "UPDATE webhooks SET lost_events = lost_events + @count, lost_at = @now, " +
                    "lost_from = CASE WHEN lost_from IS NULL OR lost_from > @from THEN @from ELSE lost_from END, " +
                    "lost_to = CASE WHEN lost_to IS NULL OR lost_to < @to THEN @to ELSE lost_to END WHERE id = @Id",
                    new { count = (long)seqs.Count, now, from = seqs.Min(), to = seqs.Max(), h.Id }, w.Transaction);
                logger.DisabledWebhookLostEvents(h.Id, seqs.Count, seqs.Min(), seqs.Max());
                if (h.Noticed == 1) continue; // one notice each time the webhook is disabled
                await AccountNotices.AddAsync(w, h.AccountId, NoticeKind, h.Id, string.Create(CultureInfo.InvariantCulture,
                    $"Webhook {h.Id} ({h.Handler}) was disabled for longer than {options.DisabledHold}: {seqs.Count} waiting events were removed by retention and cannot be sent or replayed"),
                    now);
            }

            if (total > 0) await RetriesCursor.UpdateAsync(w, cutoff);
            return total;
        }, ct);
    }
}
