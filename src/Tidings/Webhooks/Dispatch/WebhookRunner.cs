using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Tidings.Storage;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>The engine's shared parts a runner uses.</summary>
public sealed record RunnerServices(
    IStorage Storage,
    DeliveryLedger Ledger,
    WebhookSender Sender,
    WebhookPayloads Payloads,
    JournalHead Head,
    DispatchOptions Options,
    TimeProvider Time,
    SemaphoreSlim GlobalCalls,
    ILogger Logger);

/// <summary>
/// Delivers one webhook's events. A feeder follows the journal after the webhook's own cursor (and picks up due
/// retries) into a bounded in-memory queue; workers — at most the webhook's <c>max_concurrency</c> — take events (or
/// batches), wait for the webhook's rate limit and a global call slot, and call the receiver. A slow or dead receiver
/// only fills its own queue: the feeder then stops reading, and the backlog stays in the journal, not in memory.
/// Ordered webhooks get one queue per worker, chosen by profile, and retry a failed call in place. The runner ties the
/// parts together: the feed (here), the lanes and their workers (<see cref="WebhookWorkers"/>), the receiver's health
/// and flow control (<see cref="ReceiverHealth"/>), and the settling of events once the ledger has their outcome.
/// </summary>
public sealed class WebhookRunner : IAsyncDisposable
{
    private readonly RunnerServices _s;
    private readonly Channel<DeliveryItem>[] _lanes;
    private readonly SeqTracker _tracker;
    private readonly ReceiverHealth _health;
    private readonly WebhookWorkers _workers;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<long> _retriesInMemory = [];
    private readonly List<long> _retriesSettled = [];
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private ActiveWebhook _webhook;
    private Task _feeder = Task.CompletedTask;
    private Task[] _workerTasks = [];
    private long _cursorWritten;
    private long _cursorWrittenAt;

    public WebhookRunner(ActiveWebhook webhook, long cursor, RunnerServices services)
    {
        _s = services;
        _webhook = webhook;
        _tracker = new SeqTracker(cursor);
        _cursorWritten = cursor;
        _health = new ReceiverHealth(services.Options, services.Time, webhook.MaxPerSecond, webhook.FailingSince);
        _workers = new WebhookWorkers(this, services, _health);
        var lanes = webhook.Ordered ? webhook.MaxConcurrency : 1;
        _capacity = Math.Max(services.Options.QueueCapacity, webhook.MaxConcurrency * webhook.BatchMaxEvents * 2);
        _lanes = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<DeliveryItem>(new BoundedChannelOptions(Math.Max(1, _capacity / lanes)) { FullMode = BoundedChannelFullMode.Wait }))
            .ToArray();
    }

    public ActiveWebhook Webhook => Volatile.Read(ref _webhook);

    /// <summary>Where a successor may resume without losing an event.</summary>
    public long SafeCursor => _tracker.SafeCursor;

    public void Start()
    {
        _feeder = Task.Run(FeedAsync);
        var workers = _webhook.MaxConcurrency;
        _workerTasks = Enumerable.Range(0, workers).Select(i => Task.Run(() => _workers.WorkAsync(_lanes[_lanes.Length == 1 ? 0 : i], _stopReading.Token))).ToArray();
    }

    /// <summary>Takes settings that need no restart (rate limit, handler, format, signing).</summary>
    public void Update(ActiveWebhook webhook)
    {
        var old = Interlocked.Exchange(ref _webhook, webhook);
        if (old.MaxPerSecond != webhook.MaxPerSecond) _health.Configure(webhook.MaxPerSecond);
    }

    /// <summary>Look for due retries now (after a replay was queued).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public RunnerStatus Status() =>
        new(_webhook.Id, _lanes.Sum(l => l.Reader.Count), _tracker.Read, _tracker.SafeCursor, _s.Head.Value,
            _health.FailuresInARow, _health.PausedUntilMs, _health.Rate, _workers.Delivered, _workers.FailedCalls, _workers.DisableRecorded);

    private long NowMs() => _s.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private int Queued => _lanes.Sum(l => l.Reader.Count);

    // ---- Feeding: due retries first, then new journal records ----

    private async Task FeedAsync()
    {
        var ct = _stopReading.Token;
        while (!ct.IsCancellationRequested)
        {
            var progressed = false;
            try
            {
                if (!Paused) progressed |= await FeedRetriesAsync(ct) > 0;
                progressed |= await FeedJournalAsync(ct);
                RecordCursorIfMoved(force: false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _s.Logger.LogError(ex, "Webhook {WebhookId}: reading events failed; retrying shortly", _webhook.Id);
                await Delay(TimeSpan.FromSeconds(1), ct);
            }

            if (progressed) continue;
            try
            {
                _wake.Reader.TryRead(out _);
                var head = _s.Head.Changed;
                if (_s.Head.Value > _tracker.Read && Queued < _capacity) continue;
                await Task.WhenAny(_wake.Reader.WaitToReadAsync(ct).AsTask(), head, Task.Delay(_s.Options.PollInterval, _s.Time, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }

        RecordCursorIfMoved(force: true);
    }

    private bool Paused => _health.IsPaused;

    private async Task<bool> FeedJournalAsync(CancellationToken ct)
    {
        var room = _capacity - Queued;
        var head = _s.Head.Value;
        var from = _tracker.Read;
        if (room <= 0 || head <= from) return false;

        var webhook = _webhook;
        var limit = Math.Min(room, _s.Options.ReadBatchSize);
        var rows = new List<FeedRecord>(Math.Min(limit, 1024));
        await using (var c = await _s.Storage.OpenReadAsync(ct))
        await using (var reader = await c.ExecuteReaderAsync(new CommandDefinition(
            "SELECT seq, event_id, type, occurred, payload FROM journal " +
            $"WHERE account_id = @account AND seq > @from AND seq <= @head AND {_s.Storage.Dialect.InList("type", "@types")} ORDER BY seq LIMIT @limit",
            new { account = webhook.AccountId, from, head, types = webhook.JournalTypes, limit }, cancellationToken: ct)))
        {
            // The payload as the UTF-8 the database holds (SQLite hands its bytes over as they are): it is parsed
            // once and never needs to be a string.
            var utf8 = _s.Storage.Dialect.Provider == StorageProvider.Sqlite;
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new FeedRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    utf8 ? reader.GetFieldValue<byte[]>(4) : Encoding.UTF8.GetBytes(reader.GetString(4))));
            }
        }

        foreach (var row in rows)
        {
            DeliveryItem item;
            using (var payload = JsonDocument.Parse(row.Payload))
            {
                if (!webhook.Matches(row.Type, payload.RootElement)) continue;
                item = new DeliveryItem
                {
                    Seq = row.Seq, EventId = row.EventId, JournalType = row.Type, Occurred = row.Occurred, JournalPayload = row.Payload,
                    ProfileKey = ActiveWebhook.ProfileKey(payload.RootElement),
                };
                // The body now, from the parse at hand (a batch is written at the call, from all its events).
                if (!webhook.Batched) _s.Sender.WriteBody(item, webhook.Format, payload.RootElement);
            }

            _tracker.Open(row.Seq);
            await LaneFor(item).Writer.WriteAsync(item, ct);
        }

        // Fewer rows than asked for: everything up to the head has been seen.
        _tracker.ReadUpTo(rows.Count < limit ? head : rows[^1].Seq);
        return true;
    }

    private async Task<int> FeedRetriesAsync(CancellationToken ct)
    {
        // At most half the queue, so a large replay or backlog of retries does not hold up new events.
        var room = _capacity / 2 - Queued;
        if (room <= 0) return 0;
        int inMemory;
        lock (_lock)
        {
            // Only now, before a fresh read: a read that began before their outcome committed would still see them pending.
            foreach (var id in _retriesSettled) _retriesInMemory.Remove(id);
            _retriesSettled.Clear();
            inMemory = _retriesInMemory.Count;
        }

        List<RetryRecord> rows;
        await using (var c = await _s.Storage.OpenReadAsync(ct))
        {
            rows = (await c.QueryAsync<RetryRecord>(new CommandDefinition(
                "SELECT d.id, d.journal_seq AS Seq, d.event_id AS EventId, d.profile_key AS ProfileKey, d.attempts, d.first_attempt AS FirstAttempt, d.replay_id AS ReplayId, " +
                "j.type, j.occurred, j.payload FROM webhook_deliveries d LEFT JOIN journal j ON j.seq = d.journal_seq " +
                "WHERE d.webhook_id = @id AND d.status = 'pending' AND d.next_attempt <= @now ORDER BY d.next_attempt, d.id LIMIT @limit",
                new { id = _webhook.Id, now = NowMs(), limit = Math.Min(room, _s.Options.ReadBatchSize) + inMemory }, cancellationToken: ct))).ToList();
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
                DeliveryId = row.Id, ReplayId = row.ReplayId, Attempts = (int)row.Attempts, FirstAttempt = row.FirstAttempt,
            };
            await LaneFor(item).Writer.WriteAsync(item, ct);
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
        await _s.Storage.WriteAsync(w =>
        {
            w.LeavesProfilesAlone();
            return w.Connection.ExecuteAsync(
                $"UPDATE webhook_deliveries SET status = 'failed', last_error = @error WHERE status = 'pending' AND {_s.Storage.Dialect.InList("id", "@ids")}",
                new { error = WebhookReplays.EventRemoved, ids }, w.Transaction);
        }, ct);
        _s.Logger.LogWarning("Webhook {WebhookId}: {Count} pending deliveries failed because their events are no longer in the journal", _webhook.Id, ids.Count);
    }

    private Channel<DeliveryItem> LaneFor(DeliveryItem item) =>
        _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)StableHash(item.ProfileKey ?? item.EventId) % (uint)_lanes.Length)];

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var ch in s) h = unchecked(h * 31 + ch);
        return h;
    }

    private void RecordCursorIfMoved(bool force)
    {
        var safe = _tracker.SafeCursor;
        var now = NowMs();
        if (safe <= Interlocked.Read(ref _cursorWritten) || (!force && now - Interlocked.Read(ref _cursorWrittenAt) < 200)) return;
        Interlocked.Exchange(ref _cursorWritten, safe);
        Interlocked.Exchange(ref _cursorWrittenAt, now);
        _ = _s.Ledger.RecordAsync(new CursorEntry(_webhook.Id, safe)).AsTask();
    }

    // ---- Calling the receiver ----

    // The calls are the workers' (WebhookWorkers); the runner settles what they sent and tells the feed when to read on.

    /// <summary>The lanes are less than half full: the feeder may read on.</summary>
    internal bool WantsMore => Queued < _capacity / 2;

    /// <summary>What runs once the outcome is durable: the events are settled (the cursor may pass them).</summary>
    internal Action Settling(List<DeliveryItem> items)
    {
        if (items is [{ DeliveryId: null, Seq: var only }]) return () => _tracker.Settle(only); // the common case, without arrays

        var seqs = items.Where(i => i.DeliveryId is null).Select(i => i.Seq).ToArray();
        var retries = items.Where(i => i.DeliveryId is not null).Select(i => i.DeliveryId!.Value).ToArray();
        return () =>
        {
            foreach (var seq in seqs) _tracker.Settle(seq);
            if (retries.Length == 0) return;
            lock (_lock) _retriesSettled.AddRange(retries);
        };
    }

    /// <summary>Waits on the runner's clock; a stop ends the wait early, quietly.</summary>
    internal async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, _s.Time, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>
    /// Stops reading, lets calls in flight finish (up to <paramref name="grace"/>), then cancels the rest. Events read
    /// but not sent stay unsettled, so the next runner (or a restart) reads them again.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopReading.Cancel();
        foreach (var lane in _lanes) lane.Writer.TryComplete();
        var all = Task.WhenAll(_workerTasks.Append(_feeder));
        if (await Task.WhenAny(all, Task.Delay(grace, _s.Time)) != all) _workers.CancelCalls();
        try { await all; }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _stopReading.Dispose();
        _workers.Dispose();
        _health.Dispose();
    }

    private sealed record FeedRecord(long Seq, string EventId, string Type, long Occurred, byte[] Payload);

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
    }
}

/// <summary>A webhook's delivery state right now (for the REST status endpoint and tests).</summary>
public sealed record RunnerStatus(
    long WebhookId,
    int Queued,
    long ReadUpTo,
    long Cursor,
    long JournalHead,
    int FailuresInARow,
    long? PausedUntil,
    double Rate,
    long DeliveredSinceStart,
    long FailedCallsSinceStart,
    bool Disabled);
