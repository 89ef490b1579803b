using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// Webhook delivery: how fast the engine drains a backlog of opens to one webhook on a receiver that acknowledges at
/// once, compared in the same run with a plain HttpClient POSTing as many pre-signed bodies at the same concurrency
/// (the HTTP limit), from a process of its own as the server is (and, for reference, from the receiver's process); latency from open accepted to POST received at half that rate; the rate with rsa-sha256 and with
/// ed25519 signing; and the drain with a receiver that fails 10% of calls or is down for a minute.
/// Usage: <c>dotnet run -c Release --project bench/Tidings.Bench.Webhooks -- [--events 200000] [--concurrency 16]
/// [--runs 3] [--fault-events N] [--capacity-events 600000] [--latency-seconds 20] [--latency-rate R] [--outage-seconds 60]
/// [--format form|json] [--only drain,capacity,latency,signing,faults] [--set Key=Value]</c>; the long outage with a large
/// backlog: <c>--only outage [--outage-events 1000000] [--outage-mode 503|refused] [--runs 2]</c>.
/// </summary>
public static class WebhookBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == PlainClientProcess.Command) return await PlainClientProcess.ChildAsync(args);
        var o = new BenchOptions(args);
        var directory = Path.Combine(Path.GetTempPath(), "tidings-bench-webhooks-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var databaseFile = Path.Combine(directory, "tidings.db");
        try
        {
            await using var receiver = await Receiver.StartAsync();
            var bench = new Bench(o, databaseFile, receiver);
            return await bench.RunAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>The benchmark's options; the defaults are the figures the targets are stated for.</summary>
public sealed class BenchOptions(string[] args)
{
    public int Events { get; } = Int(args, "--events", 200_000);

    /// <summary>
    /// Events each throughput drain delivers before the measured <see cref="Events"/>: a freshly started server spends
    /// its first 15 to 20 seconds compiling its hot code (tiered JIT), which a server that has been running does not.
    /// </summary>
    public int WarmUp { get; } = Int(args, "--warm-up", 300_000);
    public int FaultEvents { get; } = Int(args, "--fault-events", Int(args, "--events", 200_000));
    public int Concurrency { get; } = Int(args, "--concurrency", 16);
    public int Runs { get; } = Int(args, "--runs", 3);
    public int Destinations { get; } = Int(args, "--destinations", 1000);
    public int LatencySeconds { get; } = Int(args, "--latency-seconds", 20);

    /// <summary>Seconds of the same load before the measured latency phase (the server's JIT start-up, as <see cref="WarmUp"/>).</summary>
    public int LatencyWarmUpSeconds { get; } = Int(args, "--latency-warm-up-seconds", 30);

    /// <summary>
    /// Opens per second of the latency phase (0: half the measured maxima — of the whole path from the capacity phase,
    /// and of the drains).
    /// </summary>
    public int LatencyRate { get; } = Int(args, "--latency-rate", 0);

    /// <summary>Opens the capacity phase sends as fast as the pixel accepts them (the second half is measured).</summary>
    public int CapacityEvents { get; } = Int(args, "--capacity-events", 600_000);
    public int OutageSeconds { get; } = Int(args, "--outage-seconds", 60);

    /// <summary>Events journaled for the webhook while its receiver is down, in the <c>outage</c> part.</summary>
    public int OutageEvents { get; } = Int(args, "--outage-events", 1_000_000);

    /// <summary>How the receiver is down in the <c>outage</c> part: <c>503</c> to every call, or <c>refused</c> (not listening).</summary>
    public string OutageMode { get; } = Text(args, "--outage-mode", "503");
    public int MaxPerSecond { get; } = Int(args, "--max-per-second", 100_000);
    public string Format { get; } = Text(args, "--format", "form");

    /// <summary>
    /// Which parts to run (comma-separated: drain, capacity, latency, signing, faults, outage); all but <c>outage</c>
    /// (a long outage with a large backlog, several minutes a run) by default.
    /// </summary>
    public IReadOnlySet<string> Parts { get; } = Text(args, "--only", "drain,capacity,latency,signing,faults").Split(',').ToHashSet();

    /// <summary>--set Key=Value (repeatable): a server setting, to measure the effect of one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; } = Sets(args);

    private static int Int(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string Text(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

    private static List<KeyValuePair<string, string>> Sets(string[] args)
    {
        var settings = new List<KeyValuePair<string, string>>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].IndexOf('=', StringComparison.Ordinal) is > 0 and var eq) settings.Add(new(args[i + 1][..eq], args[i + 1][(eq + 1)..]));
        }

        return settings;
    }
}
