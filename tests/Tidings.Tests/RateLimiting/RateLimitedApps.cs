using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.RateLimiting;

/// <summary>The rate limit on, 3 calls per caller per hour (no window ends during a test); its log captured.</summary>
public class RateLimitedApp : TidingsApp
{
    public const int PermitLimit = 3;

    public LogCapture Logs { get; } = new();

    protected virtual string RejectionStatus => "400";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:Window"] = "01:00:00",
        ["RateLimiting:RejectionStatus"] = RejectionStatus,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}

/// <summary>The same limit, refused REST calls answered with 429.</summary>
public sealed class RateLimited429App : RateLimitedApp
{
    protected override string RejectionStatus => "429";
}

/// <summary>The rate limit on with a one-second window, to see a budget come back.</summary>
public sealed class ShortWindowApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = "2",
        ["RateLimiting:Window"] = "00:00:01",
    };
}
