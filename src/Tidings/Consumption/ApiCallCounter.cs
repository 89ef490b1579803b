using Tidings.Rest;

namespace Tidings.Consumption;

/// <summary>
/// Counts authenticated API calls per account and hour in memory, so that counting costs a request no storage work;
/// <see cref="ApiCallFlusher"/> adds the counts to storage every <see cref="ConsumptionOptions.ApiCallFlushInterval"/>.
/// </summary>
internal sealed class ApiCallCounter(TimeProvider time) : IApiCallCounter
{
    private const long HourMs = 3_600_000;
    private readonly Lock _gate = new();
    private Dictionary<ApiCallHour, long> _pending = [];
    private Dictionary<ApiCallHour, long> _inFlight = [];

    public void Count(long accountId)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = new ApiCallHour(accountId, now - (now % HourMs));
        lock (_gate)
        {
            _pending[key] = _pending.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>
    /// Hands the counts gathered so far to a flush; they stay visible (<see cref="Unflushed"/>) until
    /// <see cref="Flushed"/>. Counts a failed flush left behind are handed over again.
    /// </summary>
    public IReadOnlyDictionary<ApiCallHour, long> TakeForFlush()
    {
        lock (_gate)
        {
            foreach (var (key, calls) in _pending) _inFlight[key] = _inFlight.GetValueOrDefault(key) + calls;
            _pending = [];
            return new Dictionary<ApiCallHour, long>(_inFlight);
        }
    }

    /// <summary>The counts last taken are in storage now.</summary>
    public void Flushed()
    {
        lock (_gate)
        {
            _inFlight = [];
        }
    }

    /// <summary>Calls of an account counted in [fromMs, toMs) that are not in storage yet.</summary>
    public long Unflushed(long accountId, long fromMs, long toMs)
    {
        lock (_gate)
        {
            return Sum(_pending) + Sum(_inFlight);
        }

        long Sum(Dictionary<ApiCallHour, long> counts) =>
            counts.Where(c => c.Key.AccountId == accountId && c.Key.HourMs >= fromMs && c.Key.HourMs < toMs).Sum(c => c.Value);
    }
}

/// <summary>An account and the start of an hour (Unix milliseconds, UTC).</summary>
internal readonly record struct ApiCallHour(long AccountId, long HourMs);
