using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Ingest;

/// <summary>
/// Does retention stall ingest (<c>--retention-backlog N</c>)? Opens are sent at a steady rate (<c>--rate</c>, paced,
/// latency counted from when each request was due, so a stall is not hidden by the client waiting) while the server
/// either keeps everything or deletes a backlog of N profile change records 60 days old (profile event retention,
/// 30 days). Each run measures both, in alternating order, each on a fresh server start with the backlog topped up to
/// N; the first 5 s of a start are warm-up, which is also when the first retention sweep begins.
/// </summary>
internal static class RetentionUnderLoad
{
    private const string BacklogType = "profile.update";

    public static async Task<int> RunAsync(string[] args, string directory, Func<string[], string, int, int> option)
    {
        var backlog = option(args, "--retention-backlog", 1_000_000);
        var rate = option(args, "--rate", 2000);
        var concurrency = option(args, "--concurrency", 32);
        var seconds = option(args, "--seconds", 15);
        var runs = option(args, "--runs", 3);
        var destinations = option(args, "--destinations", 10_000);
        var database = Path.Combine(directory, "tidings.db");
        KeyValuePair<string, string>[] keep = [new("LogFiles:RetentionDays", "0"), new("Events:ProfileEventRetention", "00:00:00")];
        KeyValuePair<string, string>[] retain = [new("LogFiles:RetentionDays", "30"), new("Events:ProfileEventRetention", "30.00:00:00")];

        List<string> paths;
        using (var server = await ServerProcess.StartAsync(database, keep))
        {
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var api = new BenchApi(server.BaseAddress, token);
            paths = await api.MailingAsync(destinations);
            await server.StopAsync(TimeSpan.FromSeconds(60));
        }

        Console.WriteLine(MachineFacts.Line());
        Console.WriteLine(FormattableString.Invariant($"Backlog {backlog} old records, opens at {rate}/s over {concurrency} connections, {seconds} s per phase, {runs} runs."));
        var results = new List<(Phase Keep, Phase Retain)>();
        for (var run = 0; run < runs; run++)
        {
            Phase? off = null, on = null;
            foreach (var retaining in run % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var topUp = TopUpBacklog(database, backlog);
                var phase = await MeasureAsync(database, retaining ? retain : keep, paths, rate, concurrency, seconds);
                Console.WriteLine(FormattableString.Invariant(
                    $"run {run + 1} {(retaining ? "retention" : "keep all ")}: {phase.PerSecond,6:F0} opens/s, p50 {phase.P50Ms:F2} ms, p99 {phase.P99Ms:F2} ms, max {phase.MaxMs:F1} ms, errors {phase.Errors}, old records deleted during the phase {phase.Deleted} ({phase.Deleted / phase.Seconds:F0}/s; {topUp} inserted before), server CPU/open {phase.CpuMicrosPerOpen:F0} µs"));
                if (retaining) on = phase;
                else off = phase;
            }

            results.Add((off!, on!));
        }

        Console.WriteLine();
        Console.WriteLine("| Measure (median of runs) | Keep everything | Retention deleting the backlog |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(FormattableString.Invariant($"| Opens acknowledged | {Median(results.Select(r => r.Keep.PerSecond)):F0}/s | {Median(results.Select(r => r.Retain.PerSecond)):F0}/s |"));
        Console.WriteLine(FormattableString.Invariant($"| Latency p50 | {Median(results.Select(r => r.Keep.P50Ms)):F2} ms | {Median(results.Select(r => r.Retain.P50Ms)):F2} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| Latency p99 | {Median(results.Select(r => r.Keep.P99Ms)):F2} ms | {Median(results.Select(r => r.Retain.P99Ms)):F2} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| Latency max | {Median(results.Select(r => r.Keep.MaxMs)):F1} ms | {Median(results.Select(r => r.Retain.MaxMs)):F1} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| Server CPU per open | {Median(results.Select(r => r.Keep.CpuMicrosPerOpen)):F0} µs | {Median(results.Select(r => r.Retain.CpuMicrosPerOpen)):F0} µs |"));
        Console.WriteLine(FormattableString.Invariant($"| Old records deleted during the phase | {Median(results.Select(r => (double)r.Keep.Deleted)):F0} | {Median(results.Select(r => (double)r.Retain.Deleted)):F0} ({Median(results.Select(r => r.Retain.Deleted / r.Retain.Seconds)):F0}/s) |"));
        Console.WriteLine(FormattableString.Invariant($"| Ratio p99 retention / keep (same run) | | {Median(results.Select(r => r.Retain.P99Ms / r.Keep.P99Ms)):F2} |"));
        return 0;
    }

    private sealed record Phase(long Ok, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, double CpuSeconds, long Deleted)
    {
        public double PerSecond => Ok / Seconds;

        public double CpuMicrosPerOpen => Ok == 0 ? 0 : CpuSeconds * 1e6 / Ok;
    }

    private static async Task<Phase> MeasureAsync(string database, IEnumerable<KeyValuePair<string, string>> settings, List<string> paths, int rate, int concurrency, int seconds)
    {
        using var server = await ServerProcess.StartAsync(database, settings);
        await PacedAsync(server, paths, rate, concurrency, TimeSpan.FromSeconds(5)); // warm-up; the first sweep starts ~5 s after start
        var before = CountOld(database);
        var cpuBefore = ProcStat.CpuSeconds(server.ProcessId);
        var phase = await PacedAsync(server, paths, rate, concurrency, TimeSpan.FromSeconds(seconds));
        var cpu = ProcStat.CpuSeconds(server.ProcessId) - cpuBefore;
        var deleted = before - CountOld(database);
        await server.StopAsync(TimeSpan.FromSeconds(60));
        SqliteConnection.ClearAllPools();
        return phase with { CpuSeconds = cpu, Deleted = deleted };
    }

    /// <summary><paramref name="concurrency"/> keep-alive connections, each sending its share of <paramref name="rate"/> on a fixed schedule.</summary>
    private static async Task<Phase> PacedAsync(ServerProcess server, List<string> paths, int rate, int concurrency, TimeSpan duration)
    {
        var baseAddress = server.BaseAddress;
        var requests = paths.Select(p => Encoding.ASCII.GetBytes($"GET {p} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUser-Agent: TidingsBench/1.0\r\nAccept: image/*\r\n\r\n")).ToArray();
        var interval = Stopwatch.Frequency * (double)concurrency / rate;
        var latencies = new List<long>[concurrency];
        var ok = new long[concurrency];
        var errors = new long[concurrency];
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1 << 14);
            var buffer = new byte[4096];
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            for (var k = 0L; ; k++)
            {
                var due = start + (long)((k + (double)w / concurrency) * interval);
                if (due >= end) break;
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                await socket.SendAsync(requests[(int)((k * concurrency + w) % requests.Length)]);
                var status = await RawHttp.ReadStatusAsync(socket, buffer);
                mine.Add(Stopwatch.GetTimestamp() - due);
                if (status == 200) ok[w]++;
                else errors[w]++;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Phase(ok.Sum(), errors.Sum(), seconds, Percentile(0.50), Percentile(0.99), Percentile(1.0), 0, 0);
    }

    /// <summary>Adds old profile change records until there are <paramref name="backlog"/>; moves the statistics cursor past them (they are not counted anyway).</summary>
    private static long TopUpBacklog(string database, int backlog)
    {
        using var c = new SqliteConnection($"Data Source={database}");
        c.Open();
        var missing = backlog - CountOld(c);
        if (missing > 0)
        {
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES ($id, 1, $type, $occurred, '{\"ID\":1,\"fields\":{\"email\":\"old@example.com\"}}')";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$type", BacklogType);
            insert.Parameters.AddWithValue("$occurred", DateTimeOffset.UtcNow.AddDays(-60).ToUnixTimeMilliseconds());
            insert.Prepare();
            for (var i = 0; i < missing; i++)
            {
                id.Value = Guid.NewGuid().ToString("N");
                insert.ExecuteNonQuery();
            }

            using var cursor = c.CreateCommand();
            cursor.Transaction = tx;
            cursor.CommandText = "UPDATE consumer_cursors SET seq = (SELECT MAX(seq) FROM journal) WHERE name = 'statistics'";
            cursor.ExecuteNonQuery();
            tx.Commit();
        }

        SqliteConnection.ClearAllPools();
        return Math.Max(0, missing);
    }

    private static long CountOld(string database)
    {
        using var c = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        c.Open();
        return CountOld(c);
    }

    private static long CountOld(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM journal WHERE type = '{BacklogType}'";
        return (long)cmd.ExecuteScalar()!;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
