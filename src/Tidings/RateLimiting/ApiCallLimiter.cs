using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Tidings.Rest;

namespace Tidings.RateLimiting;

/// <summary>
/// One fixed-window limiter per caller (<see cref="CallerKey"/>), from the framework's partitioned rate limiter. It is
/// asked after authentication, so only valid tokens and signed-in users get a partition: their number bounds the
/// memory, and the partitioned limiter drops a caller's limiter once it has been idle (full budget) for a while.
/// </summary>
internal sealed class ApiCallLimiter : IApiCallLimiter, IDisposable
{
    private readonly RateLimitingOptions _options;
    private readonly PartitionedRateLimiter<CallerKey>? _limiter;
    private readonly RefusalLogGate _logGate;
    private readonly RateLimitMetrics _metrics;
    private readonly ILogger _logger;

    public ApiCallLimiter(IOptions<RateLimitingOptions> options, TimeProvider time, RateLimitMetrics metrics, ILogger<ApiCallLimiter> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _logGate = new RefusalLogGate(time, _options.Window);
        if (!_options.Enabled) return;
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.PermitLimit,
            Window = _options.Window,
            QueueLimit = _options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            // The partitioned limiter replenishes every partition from its own timer, so each partition needs none.
            AutoReplenishment = false,
        };
        _limiter = PartitionedRateLimiter.Create<CallerKey, CallerKey>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => window));
    }

    public async ValueTask AdmitAsync(Caller caller, string api, CancellationToken ct)
    {
        if (_limiter is null) return;
        var key = CallerKey.Of(caller);
        using var lease = _options.QueueLimit == 0 ? _limiter.AttemptAcquire(key) : await _limiter.AcquireAsync(key, 1, ct);
        if (lease.IsAcquired) return;

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _options.Window;
        var seconds = (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue);
        _metrics.Rejected(api);
        if (_logGate.FirstInWindow(key)) _logger.Refused(CallerKey.Describe(caller), caller.AccountId, api, _options.PermitLimit, _options.Window);
        throw new ApiCallRefusedException(Message(caller, seconds), _options.RejectionStatus, seconds);
    }

    /// <summary>Copernica-style text that names the limit, whose it is and when to try again.</summary>
    private string Message(Caller caller, int retryAfterSeconds)
    {
        var whose = caller.TokenId != 0 ? "this access token" : "this user";
        var window = _options.Window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var per = window == "1" ? "second" : $"{window} seconds";
        var wait = retryAfterSeconds == 1 ? "1 second" : $"{retryAfterSeconds} seconds";
        var calls = _options.PermitLimit == 1 ? "1 call" : $"{_options.PermitLimit} calls";
        return $"Rate limit exceeded: at most {calls} per {per} for {whose}; try again in {wait}";
    }

    public void Dispose() => _limiter?.Dispose();
}
