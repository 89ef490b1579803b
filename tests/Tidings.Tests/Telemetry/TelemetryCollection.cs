namespace Tidings.Tests.Telemetry;

/// <summary>
/// Tests of metrics and traces run alone. The <c>Tidings</c> and <c>Microsoft.AspNetCore</c> activity sources are
/// shared by every server in the test process, so a server that traces would record (and make store trace context for)
/// the others, and a test that tracing off starts nothing would see their listeners. Likewise a meter provider listens
/// to every meter named <c>Tidings</c> in the process: when another server stops, its instruments end the metric
/// streams they share with this server's (one server per process, as in production, never meets this).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
