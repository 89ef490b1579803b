namespace Tidings.Telemetry;

/// <summary>The OpenTelemetry meter provider and the Prometheus scraping endpoint.</summary>
internal static class MetricsExport
{
    public static WebApplicationBuilder AddMetricsExport(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapMetricsExport(this WebApplication app) => app;
}
