using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tidings.Telemetry;

/// <summary>
/// The OpenTelemetry tracer provider and its OTLP exporter, off by default. When it is off nothing listens to the
/// <c>Tidings</c> source, so starting a span returns null at the cost of one check, and no trace context is stored.
/// </summary>
internal static class TracingExport
{
    /// <summary>ASP.NET Core's own request spans: the parents of the tracking and MTA spans.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    public static WebApplicationBuilder AddTracingExport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        if (!options.Enabled) return builder;

        builder.Services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing
                .ConfigureResource(r => r.AddService("tidings", serviceVersion: typeof(TracingExport).Assembly.GetName().Version?.ToString(),
                    serviceInstanceId: NodeIdentity.From(builder.Configuration).Id, autoGenerateServiceInstanceId: false).AddEnvironmentVariableDetector())
                .SetSampler(Sampler(options.SamplingRatio))
                .AddSource(TidingsDiagnostics.Name, AspNetCoreSource)
                .AddOtlpExporter(otlp =>
                {
                    // Empty: the exporter's default, or OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS as set.
                    if (ExportUrl(options) is not { } url) return;
                    otlp.Endpoint = url;
                    otlp.Protocol = options.OtlpProtocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                });
        });
        return builder;
    }

    /// <summary>
    /// Parent-based: a span under a recorded span of this server (or under an event's stored context) is recorded, one
    /// under an unrecorded span is not. A root span, and a request whose caller sent a <c>traceparent</c>, are decided by
    /// the ratio on the trace id: nobody outside can make a public endpoint record every request.
    /// </summary>
    public static Sampler Sampler(double ratio)
    {
        var byRatio = new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0.0, 1.0));
        return new ParentBasedSampler(byRatio, remoteParentSampled: byRatio, remoteParentNotSampled: byRatio);
    }

    /// <summary>
    /// The URL spans are posted to: for HTTP/protobuf, a bare collector address gets OTLP's <c>/v1/traces</c> (as the
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable does; the exporter takes a URL set in code as it is). Null when empty or invalid.
    /// </summary>
    public static Uri? ExportUrl(TracingOptions options)
    {
        if (options.OtlpEndpoint.Length == 0) return null;
        if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)) return null;
        if (options.OtlpProtocol != OtlpProtocol.HttpProtobuf || url.AbsolutePath.Trim('/').Length > 0) return url;
        return new Uri(url, "/v1/traces");
    }
}
