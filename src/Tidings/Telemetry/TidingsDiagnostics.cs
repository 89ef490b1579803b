using System.Diagnostics;

namespace Tidings.Telemetry;

/// <summary>
/// The names under which Tidings publishes its own telemetry: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both called <c>Tidings</c>. Features define their instruments and
/// spans under these names; this namespace only wires the exporters and must not depend on any feature.
/// </summary>
internal static class TidingsDiagnostics
{
    public const string Name = "Tidings";

    /// <summary>The one source of Tidings' spans; it costs nothing while no listener (tracing off) samples it.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>
    /// Starts a span under the current activity, or none when that activity is not recorded: the parent-based sampler
    /// would not record the child either, yet OpenTelemetry would still create an unrecorded activity for it (to carry
    /// the context), which on every unsampled request costs more than this check. With no current activity the sampler
    /// decides, as for any root.
    /// </summary>
    public static Activity? StartChildSpan(string name) =>
        Activity.Current is { Recorded: false } ? null : ActivitySource.StartActivity(name);
}
