using System.Reflection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Tidings.Telemetry;

/// <summary>
/// The OpenTelemetry meter provider and the Prometheus scraping endpoint <c>GET /metrics</c>: Tidings' own meter and
/// the ones ASP.NET Core and the runtime publish (HTTP server, Kestrel, GC, thread pool). With <c>Metrics:Enabled</c>
/// off no provider is built, so the instruments have no listener and cost a flag test.
/// </summary>
internal static partial class MetricsExport
{
    public const string Path = "/metrics";

    /// <summary>The meters exported besides Tidings' own.</summary>
    public static readonly string[] PlatformMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static WebApplicationBuilder AddMetricsExport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (!builder.Configuration.GetValue(MetricsOptions.Section + ":" + nameof(MetricsOptions.Enabled), true)) return builder;
        var version = typeof(MetricsExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .ConfigureResource(resource => resource.AddService("tidings", serviceVersion: version,
                serviceInstanceId: NodeIdentity.From(builder.Configuration).Id, autoGenerateServiceInstanceId: false))
            .AddMeter(TidingsDiagnostics.Name)
            .AddMeter(PlatformMeters)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapMetricsExport(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsExport).FullName!);
        if (!options.Enabled)
        {
            // Explicit, so that no other route (or a later catch-all) answers for it.
            app.MapGet(Path, () => TypedResults.NotFound()).ExcludeFromDescription();
            return app;
        }

        // Create every feature's instruments now, so their gauges report from the first scrape.
        _ = app.Services.GetServices<ITidingsInstruments>().ToList();
        var access = new MetricsAccess(options.ParsedAllowedNetworks(), logger);
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: access.Guard, optionsName: null);
        LogServing(logger, options.AllowedNetworks.Length == 0 ? "loopback only" : "loopback and " + string.Join(", ", options.AllowedNetworks));
        return app;
    }

    [LoggerMessage(EventId = 19201, Level = LogLevel.Information, Message = "Metrics at /metrics for {Clients}")]
    private static partial void LogServing(ILogger logger, string clients);
}
