namespace Tidings.RateLimiting;

/// <summary>
/// Lets one refusal per caller and window through to the log, so a client hammering over its limit writes one line per
/// window, not one per call. Holds one entry per caller ever refused: at most the number of tokens and users.
/// </summary>
internal sealed class RefusalLogGate(TimeProvider time, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CallerKey, long> _lastLoggedWindow = [];

    public bool FirstInWindow(CallerKey key)
    {
        var current = time.GetUtcNow().UtcTicks / window.Ticks;
        lock (_gate)
        {
            if (_lastLoggedWindow.TryGetValue(key, out var last) && last == current) return false;
            _lastLoggedWindow[key] = current;
            return true;
        }
    }
}
