using System.Diagnostics.Metrics;
using Tidings.Telemetry;

namespace Tidings.RateLimiting;

/// <summary><c>tidings.ratelimit.rejections</c>: API calls refused by the rate limit, tagged <c>api</c> (rest, soap).</summary>
internal sealed class RateLimitMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _rejections = meters.Create(TidingsDiagnostics.Name)
        .CreateCounter<long>("tidings.ratelimit.rejections", "{call}", "API calls refused by the per-token rate limit");

    public void Rejected(string api) => _rejections.Add(1, new KeyValuePair<string, object?>("api", api));
}
