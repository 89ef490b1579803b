namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// How one webhook's receiver is doing, and so how it may be called: its failed calls in a row and since when, the
/// pause that too many of them bring, the one probe call at a time while it is failing, and the share of the configured
/// rate it gets (<see cref="ReceiverRate"/>, with the token bucket that enforces it). Only the failures up to the pause
/// slow the rate down: the probes after it are limited by the pause, and their failures leave the rate as it is.
/// </summary>
/// <remarks>
/// Thread safety: all the webhook's workers report here at once. Every change of the counts, the failure run and the
/// pause happens under one lock, so a success and a failure at the same moment leave either the one's state or the
/// other's, never a mix (a cleared count with the run still open, a failure with no start). The single values the hot
/// path checks before each call (pause, count) may be read without the lock. The rate share keeps its own lock
/// (<see cref="ReceiverRate"/>); the two are never held together.
/// </remarks>
internal sealed class ReceiverHealth : IDisposable
{
    private readonly Lock _lock = new();
    private readonly DispatchOptions _options;
    private readonly TimeProvider _time;
    private readonly TokenBucket _bucket;
    private readonly ReceiverRate _rate;
    private readonly SemaphoreSlim _probe = new(1, 1);
    private readonly Func<double> _jitter;
    private int _failuresInARow;
    private long? _failingSinceMs;
    private long _pausedUntilMs;

    /// <param name="failingSinceMs">When the stored run of failures began (it outlives a restart), if one is open.</param>
    /// <param name="jitter">Where in their ranges pauses and retry delays fall, in [0, 1): random unless a test fixes it.</param>
    public ReceiverHealth(DispatchOptions options, TimeProvider time, int maxPerSecond, long? failingSinceMs, Func<double>? jitter = null)
    {
        _options = options;
        _time = time;
        _failingSinceMs = failingSinceMs;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _bucket = new TokenBucket(time);
        _rate = new ReceiverRate(_bucket, maxPerSecond);
    }

    public int FailuresInARow => Volatile.Read(ref _failuresInARow);

    /// <summary>Until when (Unix ms) calls wait, or null when they do not.</summary>
    public long? PausedUntilMs
    {
        get
        {
            var until = Volatile.Read(ref _pausedUntilMs);
            return until > NowMs() ? until : null;
        }
    }

    public bool IsPaused => PausedUntilMs is not null;

    /// <summary>The calls per second allowed now (the configured rate, or less after a slow-down).</summary>
    public double Rate => _bucket.Rate;

    /// <summary>The webhook's configured rate changed: the receiver keeps its share of the new one.</summary>
    public void Configure(int maxPerSecond) => _rate.Configure(maxPerSecond);

    /// <summary>
    /// Waits until the receiver may be called: out any pause; while it is failing, until no other probe call is in
    /// flight; then for a token of its rate. Returns whether this call is such a probe: then call
    /// <see cref="EndProbe"/> once it is over.
    /// </summary>
    public async ValueTask<bool> WaitForTurnAsync(CancellationToken ct)
    {
        bool probing;
        while (true)
        {
            await WaitWhilePausedAsync(ct);
            probing = Volatile.Read(ref _failuresInARow) >= _options.PauseAfterFailures;
            if (!probing) break;
            await _probe.WaitAsync(ct);
            if (!IsPaused) break;

            // The probe this call waited behind failed and paused the webhook again: one probe per pause, not every
            // worker that was waiting in turn (each would take another event to the retry store).
            _probe.Release();
        }

        try
        {
            await _bucket.TakeAsync(ct);
        }
        catch when (probing)
        {
            _probe.Release();
            throw;
        }

        return probing;
    }

    public void EndProbe() => _probe.Release();

    /// <summary>
    /// A call succeeded: the run of failures and any pause are over, and a slowed rate starts to recover. Returns
    /// whether the webhook had been paused by the failures (its waiting retries may then be pulled forward).
    /// </summary>
    public bool OnSuccess(int maxPerSecond)
    {
        var nowMs = NowMs();
        bool wasPaused;
        lock (_lock)
        {
            wasPaused = _failuresInARow >= _options.PauseAfterFailures;
            Volatile.Write(ref _failuresInARow, 0);
            _failingSinceMs = null;
            Volatile.Write(ref _pausedUntilMs, 0);
        }

        _rate.OnSuccess(nowMs, maxPerSecond);
        return wasPaused;
    }

    /// <summary>
    /// A call failed: counts it, judges it (<see cref="FailureDecision"/>) and applies the pause and slow-down it calls
    /// for. The caller acts on the rest (disable, retry).
    /// </summary>
    /// <param name="attemptsMade">Calls made with these events, this one included.</param>
    /// <param name="firstAttemptMs">When these events were first sent.</param>
    public FailureDecision OnFailure(AttemptResult result, long nowMs, int attemptsMade, long firstAttemptMs, int maxPerSecond)
    {
        FailureDecision decision;
        bool probing;
        lock (_lock)
        {
            // A failed probe (the webhook already paused) says the receiver is still down, not that it wants less.
            probing = _failuresInARow >= _options.PauseAfterFailures;
            Volatile.Write(ref _failuresInARow, _failuresInARow + 1);
            _failingSinceMs ??= nowMs;
            var facts = new FailureFacts(result, _failuresInARow, _failingSinceMs.Value, nowMs, attemptsMade, firstAttemptMs, _jitter(), _jitter());
            decision = FailureDecision.Decide(facts, _options);
            if (decision.Pause > TimeSpan.Zero)
            {
                Volatile.Write(ref _pausedUntilMs, Math.Max(_pausedUntilMs, nowMs + (long)decision.Pause.TotalMilliseconds));
            }
        }

        // Recovers while calls succeed. Not halved again by failed probes: an outage of an hour would otherwise end at one
        // call a second, and the backlog it left would drain at a crawl while the rate grew back (half a minute or more).
        if (decision.SlowDown && !probing) _rate.SlowDown(nowMs, maxPerSecond);
        return decision;
    }

    private async Task WaitWhilePausedAsync(CancellationToken ct)
    {
        while (true)
        {
            var left = Volatile.Read(ref _pausedUntilMs) - NowMs();
            if (left <= 0) return;
            await Task.Delay(TimeSpan.FromMilliseconds(left), _time, ct);
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose() => _probe.Dispose();
}
