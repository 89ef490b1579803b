using System.Globalization;
using System.Text.Json.Nodes;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Audit;
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
internal sealed partial class DeliveryLedger : IHostedService, IAsyncDisposable
{
    public const string RetriesCursor = Dispatch.RetriesCursor.Name;

    private readonly BatchingWriter<LedgerEntry> _batches;
    private readonly IStorage _storage;
    private readonly TimeProvider _time;
    private readonly DispatchOptions _options;
    private readonly ILogger<DeliveryLedger> _logger;
    private readonly AttemptRetention _attempts;

    public DeliveryLedger(IStorage storage, TimeProvider time, IOptions<DispatchOptions> options, ILogger<DeliveryLedger> logger)
    {
        _storage = storage;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _attempts = new AttemptRetention(storage, time, _options);
        _batches = new BatchingWriter<LedgerEntry>(
            new BatchingOptions
            {
                MaxBatch = _options.LedgerBatchSize,
                QueueCapacity = _options.LedgerQueueCapacity,
                Linger = _options.LedgerLinger,
                Retry = new BatchRetry(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
                Time = time,
                AfterBatch = SweepIfDueAsync,
            },
            CommitAsync, Settle, static (_, _) => { }); // nothing fails: a failed write is retried until it succeeds
    }

    /// <summary>Queues an entry (waits only when the ledger is far behind).</summary>
    public ValueTask RecordAsync(LedgerEntry entry, CancellationToken cancellationToken = default) => _batches.EnqueueAsync(entry, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batches.Start();
        return Task.CompletedTask;
    }

    /// <summary>Writes every outcome already queued (the dispatcher, which stops before it, queues no more).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var queued = _batches.Queued;
        await _batches.StopAsync(cancellationToken);
        var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        LogFlushed(queued, elapsedMs);
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommitAsync(WriteBatch<LedgerEntry> batch)
    {
        try
        {
            await _storage.WriteAsync(w => WriteAsync(w, batch.Items));
        }
        catch (Exception ex)
        {
            LogWriteFailed(ex, batch.Count, batch.Attempt + 1);
            throw;
        }
    }

    /// <summary>Runs an entry's <see cref="LedgerEntry.AfterCommit"/> once its batch is durable.</summary>
    private void Settle(LedgerEntry entry)
    {
        try { entry.AfterCommit?.Invoke(); }
        catch (Exception ex) { LogCallbackFailed(ex); }
    }

    [LoggerMessage(EventId = 14301, Level = LogLevel.Error, Message = "Recording {Count} webhook delivery outcomes failed (try {Try}); retrying")]
    private partial void LogWriteFailed(Exception exception, int count, int @try);

    [LoggerMessage(EventId = 14903, Level = LogLevel.Information, Message = "Webhook delivery ledger flushed: {Queued} queued outcomes written in {ElapsedMs} ms")]
    private partial void LogFlushed(int queued, long elapsedMs);

    [LoggerMessage(EventId = 14302, Level = LogLevel.Error, Message = "A webhook ledger callback failed")]
    private partial void LogCallbackFailed(Exception exception);

    private async Task<int> WriteAsync(WriteContext w, IReadOnlyList<LedgerEntry> batch)
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
                "INSERT INTO webhook_attempts (webhook_id, account_id, event_id, events, attempt, attempted, status, latency_ms, error, response, remote_ip, members) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)", 12);
            foreach (var a in attempts)
            {
                (insert[0], insert[1], insert[2], insert[3], insert[4], insert[5]) = (a.WebhookId, a.AccountId, a.EventId, a.Events, a.Attempt, a.Attempted);
                (insert[6], insert[7], insert[8], insert[9], insert[10], insert[11]) = (a.Status, a.LatencyMs, a.Error, a.Response, a.RemoteIp, a.Members);
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

        if (retriesChanged) await Dispatch.RetriesCursor.UpdateAsync(w, Dispatch.RetriesCursor.HoldCutoff(_time, _options));
        return batch.Count;
    }

    /// <summary>One row of <c>webhook_attempts</c>: a call, what came back, and the journal records it carried (<see cref="AttemptMembers"/>).</summary>
    private sealed record AttemptRow(
        long WebhookId, long AccountId, string EventId, int Events, int Attempt, long Attempted, int? Status, long LatencyMs, string? Error, string? Response, string? RemoteIp,
        string Members);

    private static void Collect(AttemptEntry a, List<AttemptRow> attempts, List<object> newRows, List<object> updatedRows)
    {
        var r = a.Result;
        var first = a.Deliveries[0];
        attempts.Add(new AttemptRow(
            a.Webhook.Id, a.Webhook.AccountId, a.MessageId, a.Deliveries.Count, first.AttemptsBefore + 1, a.AttemptedMs, r.Status, r.LatencyMs, r.Error, r.ResponseExcerpt, r.RemoteIp,
            AttemptMembers.Format(a.Deliveries)));
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
            "UPDATE webhooks SET enabled = 0, disabled_reason = @Reason, disabled_at = @now WHERE id = @Id AND enabled = 1", new { d.Reason, d.Webhook.Id, now }, w.Transaction);
        if (changed == 0) return;
        await WebhookCursors.RemoveAsync(w, d.Webhook.Id);
        await AccountNotices.AddAsync(w, d.Webhook.AccountId, "webhook.disabled", d.Webhook.Id,
            string.Create(CultureInfo.InvariantCulture, $"Webhook {d.Webhook.Id} ({d.Webhook.Handler}) was disabled: {d.Reason}"), now);
        await AuditTrail.RecordSystemAsync(w, d.Webhook.AccountId, AuditActions.Disabled, AuditTargets.Webhook, d.Webhook.Id, d.Reason, now);
    }

    private async Task SweepIfDueAsync()
    {
        try
        {
            await _attempts.StepIfDueAsync();
        }
        catch (Exception ex)
        {
            _logger.OldAttemptsRemovalFailed(ex);
        }
    }
}
