using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Ingest;

/// <summary>
/// Open-pixel ingest: how many opens per second the server acknowledges durably (each answered open is in the journal's
/// intake log or already a journal row, and survives a crash), compared in the same run with a pixel that records
/// nothing (<c>Tracking:EnableNullPixel</c>), which is what the HTTP stack alone can do on this machine. After the last
/// phase it waits until every acknowledged open is a journal row and reports how long that took.
/// Usage: <c>dotnet run -c Release --project bench/Tidings.Bench.Ingest -- [--destinations 10000] [--concurrency 64]
/// [--seconds 10] [--runs 3] [--warm-up-seconds 20] [--client-addresses] [--geoip-networks N] [--set Key=Value]
/// [--statistics-recount]</c>; <c>--retention-backlog N [--rate 2000]</c> measures ingest while retention deletes a
/// backlog instead (<see cref="RetentionUnderLoad"/>); <c>--postgres CONNSTRING</c> measures journal appends on
/// PostgreSQL with and without the global append lock of earlier builds (<see cref="JournalAppends"/>).
/// </summary>
public static class IngestBenchmark
{
    /// <summary>The X-Forwarded-For address of each destination's request (<c>--client-addresses</c>), or null.</summary>
    private static List<string>? _forwardedFor;

    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--postgres")) return await JournalAppends.RunAsync(args, Option);
        var destinations = Option(args, "--destinations", 10_000);
        var concurrency = Option(args, "--concurrency", 64);
        var seconds = Option(args, "--seconds", 10);
        var runs = Option(args, "--runs", 3);
        // A fresh server compiles its hot code (tiered JIT) during its first 15 to 20 s under load; a running one has.
        var warmUp = Option(args, "--warm-up-seconds", 20);
        var directory = Path.Combine(Path.GetTempPath(), "tidings-bench-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var databaseFile = Path.Combine(directory, "tidings.db");
        try
        {
            if (args.Contains("--retention-backlog")) return await RetentionUnderLoad.RunAsync(args, directory, Option);

            // --set Key=Value (repeatable) passes a server setting, to measure the effect of one.
            var settings = new List<KeyValuePair<string, string>> { new("Tracking:EnableNullPixel", "true") };
            for (var i = 0; i + 1 < args.Length; i++)
            {
                if (args[i] == "--set" && args[i + 1].IndexOf('=', StringComparison.Ordinal) is > 0 and var eq) settings.Add(new(args[i + 1][..eq], args[i + 1][(eq + 1)..]));
            }

            // --client-addresses: opens carry X-Forwarded-For (a public address per destination) from a trusted proxy;
            // --geoip-networks N: and the server locates them in a GeoIP City database of N /24 networks.
            var geoNetworks = Option(args, "--geoip-networks", 0);
            List<string>? forwardedFor = null;
            if (geoNetworks > 0 || args.Contains("--client-addresses"))
            {
                forwardedFor = ClientAddresses.For(destinations, Math.Max(geoNetworks, destinations));
                settings.Add(new("Tracking:TrustedProxies:0", "127.0.0.1"));
            }

            if (geoNetworks > 0)
            {
                var geoFile = Path.Combine(directory, "geo.mmdb");
                ClientAddresses.WriteDatabase(geoFile, geoNetworks);
                settings.Add(new("Tracking:GeoIpDatabase", geoFile));
                Console.WriteLine(FormattableString.Invariant($"GeoIP City database: {geoNetworks} networks, {new FileInfo(geoFile).Length / 1e6:F1} MB"));
            }

            _forwardedFor = forwardedFor;
            using var server = await ServerProcess.StartAsync(databaseFile, settings);
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"Server pid {server.ProcessId} at {server.BaseAddress}; preparing {destinations} destinations …");
            var openPaths = await SetUpAsync(server.BaseAddress, token, destinations);
            Console.WriteLine($"{openPaths.Count} destinations ready. Concurrency {concurrency}, {seconds} s per phase, {runs} runs.");

            var memory = new MemorySampler(server.ProcessId);
            var nullPath = new[] { "/t/null.gif" };
            long acknowledged = 0;
            var warmUpOpens = await RunPhaseAsync(server.ProcessId, server.BaseAddress, openPaths, concurrency, TimeSpan.FromSeconds(warmUp)); // warm-up (JIT, caches)
            acknowledged += warmUpOpens.Ok;
            await RunPhaseAsync(server.ProcessId, server.BaseAddress, nullPath, concurrency, TimeSpan.FromSeconds(Math.Max(2, warmUp / 4)));

            var results = new List<(PhaseResult Real, PhaseResult Null, long Journaled)>();
            for (var run = 0; run < runs; run++)
            {
                PhaseResult real, nul;
                long journaled;
                if (run % 2 == 0)
                {
                    (real, journaled) = await RealPhaseAsync();
                    nul = await NullPhaseAsync();
                }
                else
                {
                    nul = await NullPhaseAsync();
                    (real, journaled) = await RealPhaseAsync();
                }

                results.Add((real, nul, journaled));
                Console.WriteLine(FormattableString.Invariant(
                    $"run {run + 1}: opens {real.PerSecond,8:F0}/s acknowledged durably ({real.Ok} answered, {journaled} journal rows made meanwhile), p50 {real.P50Ms:F2} ms, p99 {real.P99Ms:F2} ms | null pixel {nul.PerSecond,8:F0}/s, p50 {nul.P50Ms:F2} ms, p99 {nul.P99Ms:F2} ms | ratio {real.PerSecond / nul.PerSecond:F2} | server CPU/request {real.CpuMicrosPerRequest:F0} µs vs {nul.CpuMicrosPerRequest:F0} µs | errors {real.Errors}+{nul.Errors}"));
            }

            // Every acknowledged open must become a journal row; the ones left in the intake log are made now.
            var (backlog, catchUpSeconds) = await CatchUpAsync();
            var rows = CountOpens(databaseFile);

            var status = MemorySampler.Read(server.ProcessId);
            var openRate = Median(results.Select(r => r.Real.PerSecond));
            var nullRate = Median(results.Select(r => r.Null.PerSecond));
            var ratio = Median(results.Select(r => r.Real.PerSecond / r.Null.PerSecond));
            Console.WriteLine();
            Console.WriteLine("| Measure | Median of runs |");
            Console.WriteLine("|---|---|");
            Console.WriteLine(FormattableString.Invariant($"| Opens acknowledged durably | {openRate:F0}/s |"));
            Console.WriteLine(FormattableString.Invariant($"| Null pixel (HTTP only) | {nullRate:F0}/s |"));
            Console.WriteLine(FormattableString.Invariant($"| Ratio opens / null (same run) | {ratio:F2} |"));
            Console.WriteLine(FormattableString.Invariant($"| Open latency p50 / p99 | {Median(results.Select(r => r.Real.P50Ms)):F2} ms / {Median(results.Select(r => r.Real.P99Ms)):F2} ms |"));
            Console.WriteLine(FormattableString.Invariant($"| Null latency p50 / p99 | {Median(results.Select(r => r.Null.P50Ms)):F2} ms / {Median(results.Select(r => r.Null.P99Ms)):F2} ms |"));
            Console.WriteLine(FormattableString.Invariant($"| Server CPU per request, open / null | {Median(results.Select(r => r.Real.CpuMicrosPerRequest)):F0} µs / {Median(results.Select(r => r.Null.CpuMicrosPerRequest)):F0} µs |"));
            Console.WriteLine(FormattableString.Invariant($"| Server VmRSS during runs (min / median / max) | {memory.Summary()} |"));
            Console.WriteLine(FormattableString.Invariant($"| Server VmHWM at the end | {status.HwmKb / 1024.0:F0} MiB |"));
            Console.WriteLine(FormattableString.Invariant($"| Journal rows made during the phases (median per second) | {Median(results.Select(r => r.Journaled / r.Real.Seconds)):F0}/s |"));
            Console.WriteLine(FormattableString.Invariant($"| Left in the intake log after the last phase | {backlog} opens |"));
            Console.WriteLine(FormattableString.Invariant($"| Journal caught up after | {catchUpSeconds:F1} s ({backlog / Math.Max(catchUpSeconds, 0.001):F0} rows/s) |"));
            Console.WriteLine(FormattableString.Invariant($"| Acknowledged opens / journal rows (open) | {acknowledged} / {rows}{(rows == acknowledged ? "" : " MISMATCH")} |"));
            Console.WriteLine(FormattableString.Invariant($"| Targets (≥ 20,000/s, ratio ≥ 0.7) | {(openRate >= 20_000 ? "met" : "missed")}, {(ratio >= 0.7 ? "met" : "missed")} |"));
            if (args.Contains("--statistics-recount"))
            {
                await server.StopAsync(TimeSpan.FromSeconds(60));
                await StatisticsRecount.RunAsync(databaseFile, settings);
            }

            return 0;

            async Task<(PhaseResult, long)> RealPhaseAsync()
            {
                // Each burst starts with the journal caught up (what an earlier phase left in the intake log is rows).
                var caughtUp = await CatchUpAsync();
                if (caughtUp.Backlog > 0) Console.WriteLine(FormattableString.Invariant($"  journal caught up with {caughtUp.Backlog} opens in {caughtUp.Seconds:F1} s ({caughtUp.Backlog / Math.Max(caughtUp.Seconds, 0.001):F0} rows/s)"));
                var before = CountOpens(databaseFile);
                var result = await RunPhaseAsync(server.ProcessId, server.BaseAddress, openPaths, concurrency, TimeSpan.FromSeconds(seconds), memory);
                acknowledged += result.Ok;
                return (result, CountOpens(databaseFile) - before);
            }

            async Task<PhaseResult> NullPhaseAsync()
            {
                var caughtUp = await CatchUpAsync();
                if (caughtUp.Backlog > 0) Console.WriteLine(FormattableString.Invariant($"  journal caught up with {caughtUp.Backlog} opens in {caughtUp.Seconds:F1} s ({caughtUp.Backlog / Math.Max(caughtUp.Seconds, 0.001):F0} rows/s)"));
                return await RunPhaseAsync(server.ProcessId, server.BaseAddress, nullPath, concurrency, TimeSpan.FromSeconds(seconds), memory);
            }

            async Task<(long Backlog, double Seconds)> CatchUpAsync()
            {
                var left = acknowledged - CountOpens(databaseFile);
                var clock = Stopwatch.StartNew();
                while (CountOpens(databaseFile) < acknowledged && clock.Elapsed < TimeSpan.FromMinutes(10)) await Task.Delay(50);
                var journaled = clock.Elapsed.TotalSeconds;
                // And the statistics consumer has counted them, so that it does not compete with the next phase.
                while (StatisticsBehind(databaseFile) && clock.Elapsed < TimeSpan.FromMinutes(10)) await Task.Delay(50);
                if (clock.Elapsed.TotalSeconds - journaled > 0.5) Console.WriteLine(FormattableString.Invariant($"  statistics caught up {clock.Elapsed.TotalSeconds - journaled:F1} s later"));
                return (left, journaled);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static bool StatisticsBehind(string databaseFile)
    {
        using var c = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE((SELECT seq FROM consumer_cursors WHERE name = 'statistics'), 0) < COALESCE((SELECT MAX(seq) FROM journal), 0)";
        return (long)cmd.ExecuteScalar()! != 0;
    }

    private static long CountOpens(string databaseFile)
    {
        using var c = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM journal WHERE type = 'open'";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>A database with <paramref name="count"/> profiles and a mailing to it; returns each destination's pixel path.</summary>
    private static async Task<List<string>> SetUpAsync(Uri baseAddress, string token, int count)
    {
        using var api = new BenchApi(baseAddress, token);
        return await api.MailingAsync(count);
    }

    private sealed record PhaseResult(long Ok, long Errors, double Seconds, double P50Ms, double P99Ms, double ServerCpuSeconds)
    {
        /// <summary>Server CPU time (user + system) per answered request: robust against other load on the machine.</summary>
        public double CpuMicrosPerRequest => Ok == 0 ? 0 : ServerCpuSeconds * 1e6 / Ok;

        public double PerSecond => Ok / Seconds;
    }

    /// <summary>
    /// <paramref name="concurrency"/> keep-alive connections, each sending one request at a time for the duration.
    /// A minimal HTTP/1.1 client on raw sockets, so that the client (on the same cores) costs as little as possible.
    /// </summary>
    private static async Task<PhaseResult> RunPhaseAsync(int pid, Uri baseAddress, IReadOnlyList<string> paths, int concurrency, TimeSpan duration, MemorySampler? memory = null)
    {
        var requests = paths.Select((p, i) => Encoding.ASCII.GetBytes(
            $"GET {p} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUser-Agent: TidingsBench/1.0\r\nAccept: image/*\r\n{(_forwardedFor is { } f ? $"X-Forwarded-For: {f[i % f.Count]}\r\n" : "")}\r\n")).ToArray();
        using var stop = new CancellationTokenSource();
        var latencies = new List<long>[concurrency];
        var ok = new long[concurrency];
        var errors = new long[concurrency];
        using var sampling = memory?.Start();
        var cpuBefore = ProcStat.CpuSeconds(pid);
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1 << 15);
            var buffer = new byte[4096];
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            for (var i = w * 7919; !stop.IsCancellationRequested; i++)
            {
                var request = requests[i % requests.Length];
                var started = Stopwatch.GetTimestamp();
                await socket.SendAsync(request);
                var status = await RawHttp.ReadStatusAsync(socket, buffer);
                mine.Add(Stopwatch.GetTimestamp() - started);
                if (status == 200) ok[w]++;
                else errors[w]++;
            }
        })).ToArray();
        await Task.Delay(duration);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = ProcStat.CpuSeconds(pid) - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new PhaseResult(ok.Sum(), errors.Sum(), seconds, Percentile(0.50), Percentile(0.99), cpu);
    }
}

/// <summary>Samples the server's resident memory (VmRSS) from /proc while phases run.</summary>
internal sealed class MemorySampler(int pid)
{
    private readonly List<long> _rssKb = [];

    public IDisposable Start()
    {
        var stop = new CancellationTokenSource();
        var task = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (rss, _) = Read(pid);
                lock (_rssKb) _rssKb.Add(rss);
                try { await Task.Delay(250, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        return new Stopper(stop, task);
    }

    public string Summary()
    {
        lock (_rssKb)
        {
            if (_rssKb.Count == 0) return "n/a";
            var sorted = _rssKb.Order().ToArray();
            return FormattableString.Invariant($"{sorted[0] / 1024.0:F0} / {sorted[sorted.Length / 2] / 1024.0:F0} / {sorted[^1] / 1024.0:F0} MiB ({sorted.Length} samples)");
        }
    }


    public static (long RssKb, long HwmKb) Read(int pid)
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            }
        }
        catch (IOException) { }

        return (rss, hwm);

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private sealed class Stopper(CancellationTokenSource stop, Task task) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            task.Wait();
            stop.Dispose();
        }
    }
}
