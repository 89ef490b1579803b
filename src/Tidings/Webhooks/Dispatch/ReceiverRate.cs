namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The share of a webhook's configured rate that its receiver gets now, and the token bucket that enforces it. A
/// receiver that asks to slow down (429/503) has its share halved; while calls succeed it gains half again, at most once
/// a second, back to the whole rate. Workers report from several threads at once, so every change happens under one
/// lock and sets the bucket there, in order; a success while nothing is slowed (the usual case) takes no lock.
/// </summary>
internal sealed class ReceiverRate
{
    private readonly Lock _lock = new();
    private readonly TokenBucket _bucket;
    private double _factor = 1;
    private long _lastChangeMs;
    private volatile bool _slowed;

    public ReceiverRate(TokenBucket bucket, int maxPerSecond)
    {
        _bucket = bucket;
        _bucket.SetRate(maxPerSecond);
    }

    /// <summary>The share of the configured rate in force, from 1 (all of it) down.</summary>
    public double Factor
    {
        get { lock (_lock) return _factor; }
    }

    /// <summary>The webhook's configured rate changed: apply the same share to the new rate.</summary>
    public void Configure(int maxPerSecond)
    {
        lock (_lock) _bucket.SetRate(maxPerSecond * _factor);
    }

    /// <summary>A call succeeded: after a slow-down, 50% more per second of successful calls, up to the configured rate.</summary>
    public void OnSuccess(long nowMs, int maxPerSecond)
    {
        if (!_slowed) return;
        lock (_lock)
        {
            if (_factor >= 1 || nowMs - _lastChangeMs < 1000) return;
            _lastChangeMs = nowMs;
            _factor = Math.Min(1, _factor * 1.5);
            _slowed = _factor < 1;
            _bucket.SetRate(maxPerSecond * _factor);
        }
    }

    /// <summary>The receiver asked for less: halve the share, but never below one call per second.</summary>
    public void SlowDown(long nowMs, int maxPerSecond)
    {
        lock (_lock)
        {
            _factor = Math.Max(_factor / 2, 1.0 / Math.Max(1, maxPerSecond));
            _lastChangeMs = nowMs;
            _slowed = _factor < 1;
            _bucket.SetRate(maxPerSecond * _factor);
        }
    }
}
