namespace Tidings.Telemetry;

/// <summary>Metrics (<c>/metrics</c>) and traces (OTLP); see docs/operations.md, "Monitor".</summary>
internal static class TelemetryFeature
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(NodeIdentity.From(builder.Configuration));
        builder.AddMetricsExport();
        builder.AddTracingExport();
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapMetricsExport();
        return app;
    }
}
