using System.Threading.Channels;
using Tidings.Journal;
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
    JournalReader Journal,
    DispatchOptions Options,
    TimeProvider Time,
    SemaphoreSlim GlobalCalls,
    ILogger Logger);

/// <summary>
/// Delivers one webhook's events. A feeder follows the journal after the webhook's own cursor (and picks up due
/// retries) into a bounded in-memory queue; workers — at most the webhook's <c>max_concurrency</c> — take events (or
/// batches), wait for the webhook's rate limit and a global call slot, and call the receiver. A slow or dead receiver
/// only fills its own queue: the feeder then stops reading, and the backlog stays in the journal, not in memory.
/// Ordered webhooks get one queue per worker, chosen by profile, and retry a failed call in place.
/// </summary>
public sealed class WebhookRunner : IAsyncDisposable
{
    private readonly RunnerServices _s;
    private readonly Channel<DeliveryItem>[] _lanes;
    private readonly SeqTracker _tracker;
    private readonly TokenBucket _bucket;
    private readonly ReceiverRate _rate;
    private readonly RetryPolicy _policy;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _stopCalls = new();
    private readonly WebhookFeed _feed;
    private readonly SemaphoreSlim _probe = new(1, 1);
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private ActiveWebhook _webhook;
    private Task _feeder = Task.CompletedTask;
    private Task[] _workers = [];
    private int _failuresInARow;
    private long? _failingSince;
    private long _pausedUntil;
    private long _delivered;
    private long _failed;
    private volatile bool _disabled;

    // The server's disabling of the webhook is committed: from then on the dispatcher may stop this runner for good
    // (before, the webhook still reads as enabled, and a runner started in its place would send the events again).
    private volatile bool _disableRecorded;

    public WebhookRunner(ActiveWebhook webhook, long cursor, RunnerServices services)
    {
        _s = services;
        _webhook = webhook;
        _policy = new RetryPolicy(services.Options);
        _tracker = new SeqTracker(cursor);
        _failingSince = webhook.FailingSince;
        _bucket = new TokenBucket(services.Time);
        _rate = new ReceiverRate(_bucket, webhook.MaxPerSecond);
        var lanes = webhook.Ordered ? webhook.MaxConcurrency : 1;
        _capacity = Math.Max(services.Options.QueueCapacity, webhook.MaxConcurrency * webhook.BatchMaxEvents * 2);
        _lanes = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<DeliveryItem>(new BoundedChannelOptions(Math.Max(1, _capacity / lanes)) { FullMode = BoundedChannelFullMode.Wait }))
            .ToArray();
        _feed = new WebhookFeed(services, _tracker, cursor, () => Webhook, () => Paused, (item, ct) => LaneFor(item).Writer.WriteAsync(item, ct), () => Queued, _capacity);
    }

    public ActiveWebhook Webhook => Volatile.Read(ref _webhook);

    /// <summary>Where a successor may resume without losing an event.</summary>
    public long SafeCursor => _tracker.SafeCursor;

    public void Start()
    {
        _feeder = Task.Run(() => _feed.RunAsync(_stopReading.Token));
        var workers = _webhook.MaxConcurrency;
        _workers = Enumerable.Range(0, workers).Select(i => Task.Run(() => WorkAsync(_lanes[_lanes.Length == 1 ? 0 : i]))).ToArray();
    }

    /// <summary>Takes settings that need no restart (rate limit, handler, format, signing).</summary>
    public void Update(ActiveWebhook webhook)
    {
        var old = Interlocked.Exchange(ref _webhook, webhook);
        if (old.MaxPerSecond != webhook.MaxPerSecond) _rate.Configure(webhook.MaxPerSecond);
    }

    /// <summary>Look for due retries now (after a replay was queued).</summary>
    public void Wake() => _feed.Wake();

    public RunnerStatus Status()
    {
        var now = NowMs();
        var paused = Interlocked.Read(ref _pausedUntil);
        return new RunnerStatus(_webhook.Id, _lanes.Sum(l => l.Reader.Count), _tracker.Read, _tracker.SafeCursor, _s.Head.Value,
            _failuresInARow, paused > now ? paused : null, _bucket.Rate, Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed), _disableRecorded);
    }

    private long NowMs() => _s.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private int Queued => _lanes.Sum(l => l.Reader.Count);

    private bool Paused => Interlocked.Read(ref _pausedUntil) > NowMs();

    private Channel<DeliveryItem> LaneFor(DeliveryItem item) =>
        _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)StableHash(item.ProfileKey ?? item.EventId) % (uint)_lanes.Length)];

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var ch in s) h = unchecked(h * 31 + ch);
        return h;
    }

    // ---- Calling the receiver ----

    private async Task WorkAsync(Channel<DeliveryItem> lane)
    {
        var ct = _stopReading.Token;
        var batch = new List<DeliveryItem>();
        try
        {
            while (await lane.Reader.WaitToReadAsync(ct))
            {
                if (_disabled) return;
                batch.Clear();
                await TakeBatchAsync(lane, batch, ct);
                if (batch.Count == 0) continue;
                if (Queued < _capacity / 2) Wake();
                try
                {
                    await DeliverAsync(batch);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A fault of this server, not the receiver's: the worker carries on, and the events go to the
                    // retry store instead of staying unsettled (which would hold the cursor until a restart).
                    _s.Logger.LogError(ex, "Webhook {WebhookId}: delivering {Count} events failed inside the server; they will be retried", _webhook.Id, batch.Count);
                    await ScheduleRetryAfterFaultAsync(batch, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested || _stopCalls.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _s.Logger.LogError(ex, "Webhook {WebhookId}: a delivery worker stopped", _webhook.Id);
        }
    }

    private async Task TakeBatchAsync(Channel<DeliveryItem> lane, List<DeliveryItem> batch, CancellationToken ct)
    {
        var webhook = _webhook;
        if (!lane.Reader.TryRead(out var first)) return;
        batch.Add(first);
        if (!webhook.Batched) return;
        var deadline = _s.Time.GetTimestamp();
        while (batch.Count < webhook.BatchMaxEvents)
        {
            if (lane.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }

            var left = TimeSpan.FromMilliseconds(webhook.BatchMaxMs) - _s.Time.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero) return;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(left);
            try
            {
                if (!await lane.Reader.WaitToReadAsync(wait.Token)) return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(List<DeliveryItem> items)
    {
        var calls = _stopCalls.Token;
        while (!_disabled)
        {
            await WaitWhilePausedAsync(calls);
            var webhook = _webhook;
            var probing = _failuresInARow >= _s.Options.PauseAfterFailures;
            if (probing) await _probe.WaitAsync(calls);
            AttemptResult result;
            long attemptedMs;
            try
            {
                await _bucket.TakeAsync(calls);
                await _s.GlobalCalls.WaitAsync(calls);
                try
                {
                    attemptedMs = NowMs();
                    result = await _s.Sender.SendAsync(webhook, items, calls);
                }
                finally
                {
                    _s.GlobalCalls.Release();
                }
            }
            finally
            {
                if (probing) _probe.Release();
            }

            var messageId = WebhookSender.MessageId(items);
            var snapshots = Snapshots(items, attemptedMs);
            if (result.Success)
            {
                OnSuccess(webhook);
                Interlocked.Add(ref _delivered, items.Count);
                await _s.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Delivered, null) { AfterCommit = Settling(items) });
                return;
            }

            Interlocked.Increment(ref _failed);
            var decision = OnFailure(webhook, result, attemptedMs, items);
            if (decision.DisableReason is { } disableReason)
            {
                // The webhook stops here: keep these events as failed deliveries, so they can be replayed.
                _disabled = true; // no more calls from any worker
                await _s.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Failed, attemptedMs) { AfterCommit = Settling(items) });
                await _s.Ledger.RecordAsync(new DisableEntry(webhook, disableReason) { AfterCommit = () => _disableRecorded = true });
                return;
            }

            var delay = decision.RetryDelay;
            var within = decision.WithinRetryWindow;
            if (webhook.Ordered && items.All(i => i.DeliveryId is null) && within)
            {
                // In place: the next event of this profile must not overtake this one.
                await _s.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, Disposition.Held, null));
                foreach (var item in items) item.Attempts++;
                await Delay(delay, calls);
                continue;
            }

            var disposition = within ? Disposition.Retry : Disposition.Failed;
            await _s.Ledger.RecordAsync(new AttemptEntry(webhook, messageId, snapshots, result, attemptedMs, disposition, attemptedMs + (long)delay.TotalMilliseconds) { AfterCommit = Settling(items) });
            return;
        }
    }

    private async Task ScheduleRetryAfterFaultAsync(List<DeliveryItem> items, Exception ex)
    {
        var now = NowMs();
        var result = new AttemptResult(null, 0, "Internal error: " + ex.Message, null, new Dictionary<string, string>(), null, null);
        var next = now + (long)_policy.Backoff(items.Max(i => i.Attempts) + 1).TotalMilliseconds;
        await _s.Ledger.RecordAsync(new AttemptEntry(_webhook, WebhookSender.MessageId(items), Snapshots(items, now), result, now, Disposition.Retry, next) { AfterCommit = Settling(items) });
    }

    private static DeliverySnapshot[] Snapshots(List<DeliveryItem> items, long attemptedMs)
    {
        var snapshots = new DeliverySnapshot[items.Count];
        for (var i = 0; i < snapshots.Length; i++) snapshots[i] = DeliverySnapshot.Of(items[i], attemptedMs);
        return snapshots;
    }

    /// <summary>What runs once the outcome is durable: the events are settled (the cursor may pass them).</summary>
    private Action Settling(List<DeliveryItem> items)
    {
        if (items is [{ DeliveryId: null, Seq: var only }]) return () => _tracker.Settle(only); // the common case, without arrays

        var seqs = items.Where(i => i.DeliveryId is null).Select(i => i.Seq).ToArray();
        var retries = items.Where(i => i.DeliveryId is not null).Select(i => i.DeliveryId!.Value).ToArray();
        return () =>
        {
            foreach (var seq in seqs) _tracker.Settle(seq);
            if (retries.Length == 0) return;
            _feed.RetriesSettled(retries);
        };
    }

    private void OnSuccess(ActiveWebhook webhook)
    {
        var wasPaused = Interlocked.Exchange(ref _failuresInARow, 0) >= _s.Options.PauseAfterFailures;
        lock (_lock) _failingSince = null;
        Interlocked.Exchange(ref _pausedUntil, 0);
        if (wasPaused)
        {
            _ = _s.Ledger.RecordAsync(new PullForwardEntry(webhook.Id, NowMs())).AsTask();
            Wake();
        }

        _rate.OnSuccess(NowMs(), webhook.MaxPerSecond);
    }

    /// <summary>Counts the failure in the webhook's health, judges it, and applies the slow-down and pause it calls for.</summary>
    private FailureDecision OnFailure(ActiveWebhook webhook, AttemptResult result, long nowMs, List<DeliveryItem> items)
    {
        var failures = Interlocked.Increment(ref _failuresInARow);
        long failingSince;
        // Under the lock: a worker whose call succeeded at the same moment clears it (unguarded, this read null and
        // the worker stopped with its events, which then waited for a restart).
        lock (_lock) failingSince = _failingSince ??= nowMs;
        foreach (var item in items) item.FirstAttempt ??= nowMs;
        var facts = new FailureFacts(result, failures, failingSince, nowMs, items.Max(i => i.Attempts) + 1, items.Min(i => i.FirstAttempt!.Value),
            Random.Shared.NextDouble(), Random.Shared.NextDouble());
        var decision = FailureDecision.Decide(facts, _s.Options);
        if (decision.SlowDown) _rate.SlowDown(nowMs, webhook.MaxPerSecond); // recovers while calls succeed
        if (decision.Pause > TimeSpan.Zero) Interlocked.Exchange(ref _pausedUntil, Math.Max(Interlocked.Read(ref _pausedUntil), nowMs + (long)decision.Pause.TotalMilliseconds));
        return decision;
    }

    private async Task WaitWhilePausedAsync(CancellationToken ct)
    {
        while (true)
        {
            var left = Interlocked.Read(ref _pausedUntil) - NowMs();
            if (left <= 0) return;
            await Task.Delay(TimeSpan.FromMilliseconds(left), _s.Time, ct);
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken ct)
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
        var all = Task.WhenAll(_workers.Append(_feeder));
        if (await Task.WhenAny(all, Task.Delay(grace)) != all) _stopCalls.Cancel();
        try { await all; }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _stopReading.Dispose();
        _stopCalls.Dispose();
        _probe.Dispose();
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
