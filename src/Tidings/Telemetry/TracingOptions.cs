using System.ComponentModel.DataAnnotations;

namespace Tidings.Telemetry;

/// <summary>How OTLP spans are sent: HTTP with protobuf bodies (to <c>/v1/traces</c>) or gRPC.</summary>
internal enum OtlpProtocol
{
    HttpProtobuf,
    Grpc,
}

/// <summary>Traces (spans of the <c>Tidings</c> source, exported over OTLP). Bound from the <c>Tracing</c> section; off by default.</summary>
internal sealed class TracingOptions : IValidatableObject
{
    public const string Section = "Tracing";

    /// <summary>Record spans and export them. Off: no span is started and no trace context is stored.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The share of traces recorded (decided on the trace id, so every span of a trace agrees); a span under a recorded
    /// span of this server is always recorded (parent-based).
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>The OTLP collector's URL; empty: the exporter's default or the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>The protocol for <see cref="OtlpEndpoint"/> (not used when it is empty).</summary>
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.HttpProtobuf;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint.Length > 0 && TracingExport.ExportUrl(this) is null)
        {
            yield return new ValidationResult("Tracing:OtlpEndpoint must be an absolute http:// or https:// URL (or empty).", [nameof(OtlpEndpoint)]);
        }
    }
}
