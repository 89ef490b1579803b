using System.Globalization;

namespace Tidings.Bench.Telemetry;

/// <summary>
/// Server CPU per acknowledged open and per webhook delivery with metrics (and tracing) off and on, in alternating runs:
/// <c>dotnet run -c Release --project bench/Tidings.Bench.Telemetry -- [--pairs 5] [--opens 10000] [--events 10000] [--warm 2000] [--tracing]</c>
/// </summary>
public static class TelemetryBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = TelemetryBenchOptions.Parse(args);
        Console.WriteLine(MachineFacts.Line());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pairs {options.Pairs}; {options.Opens} opens and {options.Events} deliveries measured per run after {options.WarmUp} warm-up; variants: {string.Join(", ", options.Variants(0).Select(v => v.Name))}"));
        Console.WriteLine(PerfProbe.Describe());
        return await new TelemetryBench(options).RunAsync();
    }
}
