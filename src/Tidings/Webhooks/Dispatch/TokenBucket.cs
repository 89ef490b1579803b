namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// A webhook's rate limit: calls per second with a burst of a tenth of a second's worth (at least one). The rate can be
/// lowered when the receiver asks to slow down (429/503) and recovers gradually while calls succeed.
/// </summary>
internal sealed class TokenBucket(TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _rate = 1;
    private double _tokens = 1;
    private long _stamp = time.GetTimestamp();

    /// <summary>The rate now in force, in calls per second.</summary>
    public double Rate
    {
        get { lock (_lock) return _rate; }
    }

    public void SetRate(double perSecond)
    {
        lock (_lock)
        {
            Refill();
            _rate = Math.Max(perSecond, 0.01);
            _tokens = Math.Min(_tokens, Burst);
        }
    }

    private double Burst => Math.Max(1, _rate / 10);

    /// <summary>Waits until a call may be made and takes its token.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                Refill();
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }

                wait = TimeSpan.FromSeconds((1 - _tokens) / _rate);
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, time, cancellationToken);
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(Burst, _tokens + time.GetElapsedTime(_stamp, now).TotalSeconds * _rate);
        _stamp = now;
    }
}
