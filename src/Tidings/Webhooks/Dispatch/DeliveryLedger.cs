using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Journal;
using Tidings.LogFiles;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Writes what the delivery engine learns — attempts, retry-store rows, webhook health, cursors, disabling — in batches,
/// one transaction per batch, so thousands of calls a second cost a few commits. Workers do not wait for it: an entry's
/// <see cref="LedgerEntry.AfterCommit"/> runs once it is durable (that is when a record may pass the cursor). A failed
/// write is retried with the same entries, so nothing is dropped.
/// </summary>
public sealed class DeliveryLedger : IHostedService, IAsyncDisposable
{
    public const string RetriesCursor = "webhooks:retries";

    private readonly Channel<LedgerEntry> _queue;
    private readonly IStorage _storage;
    private readonly TimeProvider _time;
    private readonly DispatchOptions _options;
    private readonly ILogger<DeliveryLedger> _logger;
    private Task? _loop;
    private long _lastSweep;

    public DeliveryLedger(IStorage storage, TimeProvider time, IOptions<DispatchOptions> options, ILogger<DeliveryLedger> logger)
    {
        _storage = storage;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(_options.LedgerQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Queues an entry (waits only when the ledger is far behind).</summary>
    public ValueTask RecordAsync(LedgerEntry entry, CancellationToken cancellationToken = default) => _queue.Writer.WriteAsync(entry, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<LedgerEntry>(_options.LedgerBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.LedgerBatchSize && _queue.Reader.TryRead(out var entry)) batch.Add(entry);
            if (batch.Count < _options.LedgerBatchSize && _options.LedgerLinger > TimeSpan.Zero)
            {
                // A batching window in real time (not the injectable clock, which tests may stop).
                await Task.Delay(_options.LedgerLinger);
                while (batch.Count < _options.LedgerBatchSize && _queue.Reader.TryRead(out var entry)) batch.Add(entry);
            }

            for (var tries = 0; ; tries++)
            {
                try
                {
                    await _storage.WriteAsync(w => WriteAsync(w, batch));
                    break;
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "Recording {Count} webhook delivery outcomes failed (try {Try}); retrying", batch.Count, tries + 1);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(tries, 6)))));
                }
            }

            foreach (var entry in batch)
            {
                try { entry.AfterCommit?.Invoke(); }
                catch (Exception ex) { _logger.LogError(ex, "A webhook ledger callback failed"); }
            }

            await SweepIfDueAsync();
        }
    }

    private async Task<int> WriteAsync(WriteContext w, List<LedgerEntry> batch)
    {
        // Delivery bookkeeping: cached enrichments (derived from profile data) stay valid across it.
        w.LeavesProfilesAlone();
        var c = w.Connection;
        var tx = w.Transaction;
        var attempts = new List<AttemptRow>();
        var newRows = new List<object>();
        var updatedRows = new List<object>();
        var failures = new List<AttemptEntry>();
        var health = new Dictionary<long, (bool Ok, long At)>();
        var cursors = new Dictionary<long, long>();
        var retriesChanged = false;

        foreach (var entry in batch)
        {
            switch (entry)
            {
                case AttemptEntry a:
                    Collect(a, attempts, newRows, updatedRows);
                    if (!a.Result.Success) failures.Add(a);
                    if (a.Disposition is Disposition.Retry or Disposition.Failed || a.Deliveries.Any(i => i.DeliveryId is not null)) retriesChanged = true;
                    health[a.Webhook.Id] = (a.Result.Success, a.AttemptedMs);
                    break;
                case CursorEntry cursor:
                    cursors[cursor.WebhookId] = Math.Max(cursor.Seq, cursors.GetValueOrDefault(cursor.WebhookId));
                    break;
                case PullForwardEntry pull:
                    await c.ExecuteAsync("UPDATE webhook_deliveries SET next_attempt = @NowMs WHERE webhook_id = @WebhookId AND status = 'pending' AND next_attempt > @NowMs", pull, tx);
                    break;
                case DisableEntry disable:
                    await DisableAsync(w, disable);
                    break;
            }
        }

        if (attempts.Count > 0)
        {
            await using var insert = new RevaluedCommand(w,
                "INSERT INTO webhook_attempts (webhook_id, account_id, event_id, events, attempt, attempted, status, latency_ms, error, response, remote_ip) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)", 11);
            foreach (var a in attempts)
            {
                (insert[0], insert[1], insert[2], insert[3], insert[4], insert[5]) = (a.WebhookId, a.AccountId, a.EventId, a.Events, a.Attempt, a.Attempted);
                (insert[6], insert[7], insert[8], insert[9], insert[10]) = (a.Status, a.LatencyMs, a.Error, a.Response, a.RemoteIp);
                await insert.ExecuteAsync();
            }
        }

        if (newRows.Count > 0)
        {
            await c.ExecuteAsync(
                "INSERT INTO webhook_deliveries (webhook_id, account_id, journal_seq, event_id, profile_key, status, attempts, first_attempt, last_attempt, next_attempt, last_status, last_error, created) " +
                "VALUES (@WebhookId, @AccountId, @Seq, @EventId, @ProfileKey, @Status, @Attempts, @FirstAttempt, @LastAttempt, @NextAttempt, @LastStatus, @LastError, @LastAttempt)", newRows, tx);
        }

        if (updatedRows.Count > 0)
        {
            await c.ExecuteAsync(
                "UPDATE webhook_deliveries SET status = @Status, attempts = @Attempts, first_attempt = COALESCE(first_attempt, @FirstAttempt), last_attempt = @LastAttempt, " +
                "next_attempt = @NextAttempt, last_status = @LastStatus, last_error = @LastError WHERE id = @Id", updatedRows, tx);
        }

        if (failures.Count > 0) await AppendFeedbackLoopErrorsAsync(w, failures);

        foreach (var (webhookId, (ok, at)) in health)
        {
            await c.ExecuteAsync(ok
                ? "UPDATE webhooks SET failing_since = NULL, last_success = @at WHERE id = @webhookId"
                : "UPDATE webhooks SET failing_since = COALESCE(failing_since, @at) WHERE id = @webhookId", new { webhookId, at }, tx);
        }

        // UPDATE, never insert: a webhook disabled meanwhile has no cursor, and must not get one back.
        foreach (var (webhookId, seq) in cursors)
        {
            await WebhookCursors.AdvanceAsync(w, webhookId, seq);
        }

        if (retriesChanged) await UpdateRetriesCursorAsync(w);
        return batch.Count;
    }

    /// <summary>One row of <c>webhook_attempts</c>: a call and what came back.</summary>
    private sealed record AttemptRow(
        long WebhookId, long AccountId, string EventId, int Events, int Attempt, long Attempted, int? Status, long LatencyMs, string? Error, string? Response, string? RemoteIp);

    private static void Collect(AttemptEntry a, List<AttemptRow> attempts, List<object> newRows, List<object> updatedRows)
    {
        var r = a.Result;
        var first = a.Deliveries[0];
        attempts.Add(new AttemptRow(
            a.Webhook.Id, a.Webhook.AccountId, a.MessageId, a.Deliveries.Count, first.AttemptsBefore + 1, a.AttemptedMs, r.Status, r.LatencyMs, r.Error, r.ResponseExcerpt, r.RemoteIp));
        if (a.Disposition == Disposition.Held) return;

        var status = a.Disposition switch { Disposition.Delivered => "delivered", Disposition.Retry => "pending", _ => "failed" };
        foreach (var item in a.Deliveries)
        {
            var row = new
            {
                Id = item.DeliveryId ?? 0, WebhookId = a.Webhook.Id, a.Webhook.AccountId, item.Seq, item.EventId, item.ProfileKey, Status = status,
                Attempts = item.AttemptsBefore + 1, item.FirstAttempt, LastAttempt = a.AttemptedMs,
                NextAttempt = a.NextAttemptMs ?? a.AttemptedMs, LastStatus = r.Status, LastError = r.Error ?? (r.Success ? null : $"HTTP {r.Status}"),
            };
            if (item.DeliveryId is not null) updatedRows.Add(row);
            else if (a.Disposition != Disposition.Delivered) newRows.Add(row); // a first try that worked leaves only its attempt
        }
    }

    /// <summary>Failed calls in the <c>feedback-loop-errors</c> log file: time, response (HTTP status), recipient (the receiver's IP), header.</summary>
    private static async Task AppendFeedbackLoopErrorsAsync(WriteContext w, List<AttemptEntry> failures)
    {
        await using var inserter = JournalInserter.Create(w);
        foreach (var a in failures)
        {
            var r = a.Result;
            var header = new JsonObject();
            foreach (var (name, value) in r.ResponseHeaders) header[name] = value;
            var payload = new JsonObject
            {
                ["response"] = r.Status,
                ["recipient"] = r.RemoteIp ?? a.Webhook.Handler.IdnHost,
                ["header"] = header,
                ["webhook"] = a.Webhook.Id,
                ["handler"] = a.Webhook.Handler.ToString(),
                ["event"] = a.MessageId,
                ["events"] = a.Deliveries.Count,
                ["error"] = r.Error ?? $"HTTP {r.Status}",
                ["latency"] = r.LatencyMs,
            };
            await inserter.InsertAsync(a.Webhook.AccountId, LogFileTypes.WebhookFailure, a.AttemptedMs, payload.ToJsonString(), null, null, null);
        }
    }

    private async Task DisableAsync(WriteContext w, DisableEntry d)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await w.Connection.ExecuteAsync(
            "UPDATE webhooks SET enabled = 0, disabled_reason = @Reason WHERE id = @Id AND enabled = 1", new { d.Reason, d.Webhook.Id }, w.Transaction);
        if (changed == 0) return;
        await WebhookCursors.RemoveAsync(w, d.Webhook.Id);
        await AccountNotices.AddAsync(w, d.Webhook.AccountId, "webhook.disabled", d.Webhook.Id,
            string.Create(CultureInfo.InvariantCulture, $"Webhook {d.Webhook.Id} ({d.Webhook.Handler}) was disabled: {d.Reason}"), now);
    }

    /// <summary>Keeps the journal records that waiting retries still need out of the retention sweep's reach.</summary>
    private static async Task UpdateRetriesCursorAsync(WriteContext w)
    {
        await ConsumerCursors.ReplaceAsync(w, RetriesCursor,
            "SELECT MIN(journal_seq) - 1 AS seq FROM webhook_deliveries WHERE status = 'pending' HAVING COUNT(*) > 0");
    }

    /// <summary>Removes attempts, and delivered or failed deliveries, older than <see cref="DispatchOptions.AttemptRetentionDays"/> (every <see cref="DispatchOptions.AttemptSweepInterval"/>).</summary>
    private async Task SweepIfDueAsync()
    {
        if (_options.AttemptRetentionDays == 0) return;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _lastSweep < (long)_options.AttemptSweepInterval.TotalMilliseconds) return;
        _lastSweep = now;
        var cutoff = now - _options.AttemptRetentionDays * 86_400_000L;
        try
        {
            await _storage.WriteAsync(async w =>
            {
                w.LeavesProfilesAlone();
                var a = await w.Connection.ExecuteAsync("DELETE FROM webhook_attempts WHERE attempted < @cutoff", new { cutoff }, w.Transaction);
                var d = await w.Connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND last_attempt < @cutoff", new { cutoff }, w.Transaction);
                return a + d;
            });
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Removing old webhook attempts failed; trying again in an hour");
        }
    }
}
