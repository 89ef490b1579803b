using System.Diagnostics.Metrics;
using System.Reflection;
using Tidings.Telemetry;

namespace Tidings.Hosting;

/// <summary><c>tidings_build_info</c>: always 1, with the version (and the commit when built from git) as labels.</summary>
internal sealed class BuildInfoMetrics : ITidingsInstruments
{
    public BuildInfoMetrics(IMeterFactory meters)
    {
        var informational = typeof(BuildInfoMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var tags = new KeyValuePair<string, object?>[]
        {
            new("version", plus < 0 ? informational : informational[..plus]),
            new("commit", plus < 0 ? "" : informational[(plus + 1)..]),
        };
        var measurement = new Measurement<int>(1, tags);
        meters.Create(TidingsDiagnostics.Name).CreateObservableGauge("tidings.build.info", () => measurement, description: "Always 1; the labels say which Tidings runs.");
    }
}
