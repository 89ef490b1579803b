using System.Threading.Channels;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>The engine's shared parts a runner uses.</summary>
internal sealed record RunnerServices(
    IStorage Storage,
    DeliveryLedger Ledger,
    WebhookSender Sender,
    WebhookPayloads Payloads,
    JournalHead Head,
    JournalReader Journal,
    DispatchOptions Options,
    TimeProvider Time,
    SemaphoreSlim GlobalCalls,
    ILogger Logger,
    WebhookMetrics Metrics);

/// <summary>
/// Delivers one webhook's events. A feeder follows the journal after the webhook's own cursor (and picks up due
/// retries) into a bounded in-memory queue; workers — at most the webhook's <c>max_concurrency</c> — take events (or
/// batches), wait for the webhook's rate limit and a global call slot, and call the receiver. A slow or dead receiver
/// only fills its own queue: the feeder then stops reading, and the backlog stays in the journal, not in memory.
/// Ordered webhooks get one queue per worker, chosen by profile, and retry a failed call in place. The runner ties the
/// parts together: the feed (here), the lanes and their workers (<see cref="WebhookWorkers"/>), the receiver's health
/// and flow control (<see cref="ReceiverHealth"/>), and the settling of events once the ledger has their outcome.
/// </summary>
internal sealed class WebhookRunner : IAsyncDisposable
{
    private readonly RunnerServices _s;
    private readonly Channel<DeliveryItem>[] _lanes;
    private readonly SeqTracker _tracker;
    private readonly ReceiverHealth _health;
    private readonly WebhookWorkers _workers;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly WebhookFeed _feed;
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private ActiveWebhook _webhook;
    private Task _feeder = Task.CompletedTask;
    private Task[] _workerTasks = [];

    public WebhookRunner(ActiveWebhook webhook, long cursor, RunnerServices services)
    {
        _s = services;
        _webhook = webhook;
        _tracker = new SeqTracker(cursor);
        _health = new ReceiverHealth(services.Options, services.Time, webhook.MaxPerSecond, webhook.FailingSince);
        _workers = new WebhookWorkers(this, services, _health);
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
        _workerTasks = Enumerable.Range(0, workers).Select(i => Task.Run(() => _workers.WorkAsync(_lanes[_lanes.Length == 1 ? 0 : i], _stopReading.Token))).ToArray();
    }

    /// <summary>Takes settings that need no restart (rate limit, handler, format, signing).</summary>
    public void Update(ActiveWebhook webhook)
    {
        var old = Interlocked.Exchange(ref _webhook, webhook);
        if (old.MaxPerSecond != webhook.MaxPerSecond) _health.Configure(webhook.MaxPerSecond);
    }

    /// <summary>Look for due retries now (after a replay was queued).</summary>
    public void Wake() => _feed.Wake();

    /// <summary>Journal records not settled yet: from the cursor to the journal's end as last polled.</summary>
    public long Backlog => Math.Max(0, _s.Head.Value - _tracker.SafeCursor);

    public RunnerStatus Status() =>
        new(_webhook.Id, _lanes.Sum(l => l.Reader.Count), _tracker.Read, _tracker.SafeCursor, _s.Head.Value,
            _health.FailuresInARow, _health.PausedUntilMs, _health.Rate, _workers.Delivered, _workers.FailedCalls, _workers.DisableRecorded);

    private long NowMs() => _s.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private int Queued => _lanes.Sum(l => l.Reader.Count);

    private bool Paused => _health.IsPaused;

    private Channel<DeliveryItem> LaneFor(DeliveryItem item) =>
        _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)StableHash(item.ProfileKey ?? item.EventId) % (uint)_lanes.Length)];

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var ch in s) h = unchecked(h * 31 + ch);
        return h;
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
            _feed.RetriesSettled(retries);
        };
    }

    /// <summary>Waits on the runner's clock; a stop ends the wait early, quietly.</summary>
    internal async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, _s.Time, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Calls to the receiver under way right now.</summary>
    public int InFlightCalls => _workers.InFlight;

    /// <summary>
    /// Stops reading, lets calls in flight finish (up to <paramref name="grace"/>), then cancels the rest. Events read
    /// but not sent stay unsettled, so the next runner (or a restart) reads them again. Returns the calls it cancelled.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        _stopReading.Cancel();
        foreach (var lane in _lanes) lane.Writer.TryComplete();
        var all = Task.WhenAll(_workerTasks.Append(_feeder));
        var cancelled = 0;
        if (await Task.WhenAny(all, Task.Delay(grace, _s.Time)) != all)
        {
            cancelled = _workers.InFlight;
            _workers.CancelCalls();
        }

        try { await all; }
        catch (OperationCanceledException) { }
        return cancelled;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _stopReading.Dispose();
        _workers.Dispose();
        _health.Dispose();
    }
}

/// <summary>A webhook's delivery state right now (for the REST status endpoint and tests).</summary>
internal sealed record RunnerStatus(
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
