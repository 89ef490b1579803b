namespace Tidings.Tests.Telemetry;

/// <summary>
/// Tests of traces run alone: the <c>Tidings</c> and <c>Microsoft.AspNetCore</c> activity sources are shared by every
/// server in the test process, so a server that traces would record (and make store trace context for) the others, and
/// a test that tracing off starts nothing would see their listeners.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
