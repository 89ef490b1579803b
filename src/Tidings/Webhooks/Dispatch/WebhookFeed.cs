using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Tidings.Journal;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Feeds one webhook's runner: due retries first (at most half the queue), then the journal after the webhook's cursor,
/// read through <see cref="JournalReader"/> up to the <see cref="JournalHead"/>, into the runner's lanes. It stops
/// reading when the lanes are full, so a slow receiver's backlog stays in the journal, and it records the cursor (the
/// position a restart may resume from) as settled events let it move.
/// </summary>
internal sealed class WebhookFeed(
    RunnerServices s,
    SeqTracker tracker,
    long cursor,
    Func<ActiveWebhook> webhook,
    Func<bool> paused,
    Func<DeliveryItem, CancellationToken, ValueTask> enqueue,
    Func<int> queued,
    int capacity)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<long> _retriesInMemory = [];
    private readonly List<long> _retriesSettled = [];
    private readonly Lock _lock = new();
    private long _cursorWritten = cursor;
    private long _cursorWrittenAt;

    /// <summary>Look for due retries (and room in the queue) now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Retries whose outcome is durable: a read that starts from now on may see them again if they are due again.</summary>
    public void RetriesSettled(long[] deliveryIds)
    {
        lock (_lock) _retriesSettled.AddRange(deliveryIds);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var progressed = false;
            try
            {
                if (!paused()) progressed |= await FeedRetriesAsync(ct) > 0;
                progressed |= await FeedJournalAsync(ct);
                RecordCursorIfMoved(force: false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var webhookId = webhook().Id;
                s.Logger.ReadingEventsFailed(ex, webhookId);
                await DelayAsync(TimeSpan.FromSeconds(1), ct);
            }

            if (progressed) continue;
            try
            {
                _wake.Reader.TryRead(out _);
                var head = s.Head.Changed;
                if (s.Head.Value > tracker.Read && queued() < capacity) continue;
                await Task.WhenAny(_wake.Reader.WaitToReadAsync(ct).AsTask(), head, Task.Delay(s.Options.PollInterval, s.Time, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }

        RecordCursorIfMoved(force: true);
    }

    private async Task<bool> FeedJournalAsync(CancellationToken ct)
    {
        var room = capacity - queued();
        var head = s.Head.Value;
        var from = tracker.Read;
        if (room <= 0 || head <= from) return false;

        var w = webhook();
        var limit = Math.Min(room, s.Options.ReadBatchSize);
        var rows = await s.Journal.ReadAsync(new JournalRange(from) { AccountId = w.AccountId, UpTo = head, Types = w.JournalTypes, Limit = limit, WithTraceParent = true }, ct);
        foreach (var row in rows)
        {
            DeliveryItem item;
            using (var payload = JsonDocument.Parse(row.Payload))
            {
                if (!w.Matches(row.Type, payload.RootElement)) continue;
                item = new DeliveryItem
                {
                    Seq = row.Seq, EventId = row.EventId, JournalType = row.Type, Occurred = row.Occurred, JournalPayload = row.Payload,
                    ProfileKey = ActiveWebhook.ProfileKey(payload.RootElement), TraceParent = row.TraceParent,
                };
                // The body now, from the parse at hand (a batch is written at the call, from all its events).
                if (!w.Batched) s.Sender.WriteBody(item, w.Format, payload.RootElement);
            }

            tracker.Open(row.Seq);
            await enqueue(item, ct);
        }

        // Fewer rows than asked for: everything up to the head has been seen.
        tracker.ReadUpTo(rows.Count < limit ? head : rows[^1].Seq);
        return true;
    }

    private async Task<int> FeedRetriesAsync(CancellationToken ct)
    {
        // At most half the queue, so a large replay or backlog of retries does not hold up new events.
        var room = capacity / 2 - queued();
        if (room <= 0) return 0;
        int inMemory;
        lock (_lock)
        {
            // Only now, before a fresh read: a read that began before their outcome committed would still see them pending.
            foreach (var id in _retriesSettled) _retriesInMemory.Remove(id);
            _retriesSettled.Clear();
            inMemory = _retriesInMemory.Count;
        }

        var w = webhook();
        List<RetryRecord> rows;
        await using (var c = await s.Storage.OpenReadAsync(ct))
        {
            rows = (await JournalLookups.WithRecordsAsync<RetryRecord>(c,
                "d.id, d.journal_seq AS Seq, d.event_id AS EventId, d.profile_key AS ProfileKey, d.attempts, d.first_attempt AS FirstAttempt, d.replay_id AS ReplayId",
                "webhook_deliveries d", "d.journal_seq",
                "WHERE d.webhook_id = @id AND d.status = 'pending' AND d.next_attempt <= @now ORDER BY d.next_attempt, d.id LIMIT @limit",
                new { id = w.Id, now = s.Time.GetUtcNow().ToUnixTimeMilliseconds(), limit = Math.Min(room, s.Options.ReadBatchSize) + inMemory }, ct)).ToList();
        }

        await SettleRemovedEventsAsync(rows.Where(r => r.Payload is null).Select(r => r.Id).ToList(), ct);
        var fed = 0;
        foreach (var row in rows)
        {
            if (row is not { Payload: { } json, Type: { } type, Occurred: { } occurred }) continue;
            lock (_lock)
            {
                if (!_retriesInMemory.Add(row.Id)) continue;
            }

            var item = new DeliveryItem
            {
                Seq = row.Seq, EventId = row.EventId, JournalType = type, Occurred = occurred, JournalPayload = Encoding.UTF8.GetBytes(json), ProfileKey = row.ProfileKey,
                DeliveryId = row.Id, ReplayId = row.ReplayId, Attempts = (int)row.Attempts, FirstAttempt = row.FirstAttempt, TraceParent = row.TraceParent,
            };
            await enqueue(item, ct);
            if (++fed >= room) break;
        }

        return fed;
    }

    /// <summary>
    /// Pending deliveries whose journal record is gone (a replay of a delivery older than the log file retention) can
    /// never be sent: they are marked failed with the reason, instead of waiting for ever.
    /// </summary>
    private async Task SettleRemovedEventsAsync(List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await s.Storage.WriteAsync(w =>
        {
            w.LeavesProfilesAlone();
            return w.Connection.ExecuteAsync(
                $"UPDATE webhook_deliveries SET status = 'failed', last_error = @error WHERE status = 'pending' AND {s.Storage.Dialect.InList("id", "@ids")}",
                new { error = WebhookReplays.EventRemoved, ids }, w.Transaction);
        }, ct);
        var webhookId = webhook().Id;
        s.Logger.EventsRemovedFromJournal(webhookId, ids.Count);
    }

    private void RecordCursorIfMoved(bool force)
    {
        var safe = tracker.SafeCursor;
        var now = s.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (safe <= Interlocked.Read(ref _cursorWritten) || (!force && now - Interlocked.Read(ref _cursorWrittenAt) < 200)) return;
        Interlocked.Exchange(ref _cursorWritten, safe);
        Interlocked.Exchange(ref _cursorWrittenAt, now);
        _ = s.Ledger.RecordAsync(new CursorEntry(webhook().Id, safe)).AsTask();
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, s.Time, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private sealed class RetryRecord
    {
        public long Id { get; set; }
        public long Seq { get; set; }
        public string EventId { get; set; } = "";
        public string? ProfileKey { get; set; }
        public long Attempts { get; set; }
        public long? FirstAttempt { get; set; }
        public long? ReplayId { get; set; }

        // Null when the journal record is gone (see SettleRemovedEventsAsync).
        public string? Type { get; set; }
        public long? Occurred { get; set; }
        public string? Payload { get; set; }
        public string? TraceParent { get; set; }
    }
}
