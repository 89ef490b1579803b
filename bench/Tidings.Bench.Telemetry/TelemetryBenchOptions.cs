using System.Globalization;

namespace Tidings.Bench.Telemetry;

/// <summary>A server configuration under test: its name and the settings that make it.</summary>
public sealed record Variant(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings);

public sealed record TelemetryBenchOptions(int Pairs, int Opens, int Events, int WarmUp, int Destinations, bool Tracing)
{
    /// <summary>The variants, off first (the baseline the others are compared with).</summary>
    public IReadOnlyList<Variant> Variants(int otlpPort) =>
    [
        new("off", [new("Metrics:Enabled", "false")]),
        new("metrics", [new("Metrics:Enabled", "true")]),
        .. Tracing
            ? new[]
            {
                new Variant("tracing 1%", [new("Metrics:Enabled", "false"), new("Tracing:Enabled", "true"), new("Tracing:SamplingRatio", "0.01"),
                    new("Tracing:OtlpEndpoint", $"http://127.0.0.1:{otlpPort}")]),
            }
            : [],
    ];

    public static TelemetryBenchOptions Parse(string[] args)
    {
        int Int(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new TelemetryBenchOptions(Int("--pairs", 5), Int("--opens", 10000), Int("--events", 10000), Int("--warm", 2000), Int("--destinations", 500),
            args.Contains("--tracing"));
    }
}
