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
/// N. Each phase is measured from the moment the server answers (no warm-up, alike for both); the first retention
/// sweep begins about 5 s after start, and the latency of the requests due while the backlog shrank is reported next to
/// that of the same seconds of the keep-everything phase.
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
        // --set Key=Value (repeatable): a retention setting to try (e.g. LogFiles:RetentionBatchSize=1000).
        var extra = new List<KeyValuePair<string, string>>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].IndexOf('=', StringComparison.Ordinal) is > 0 and var eq) extra.Add(new(args[i + 1][..eq], args[i + 1][(eq + 1)..]));
        }

        KeyValuePair<string, string>[] retain = [new("LogFiles:RetentionDays", "30"), new("Events:ProfileEventRetention", "30.00:00:00"), .. extra];

        // The backlog goes in first (low seq, as old records are), the mailing and its profiles after it.
        string token;
        using (var server = await ServerProcess.StartAsync(database, keep))
        {
            token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            await server.StopAsync(TimeSpan.FromSeconds(60));
        }

        var first = NextSeq(database);
        TopUpBacklog(database, first, backlog);
        List<string> paths;
        using (var server = await ServerProcess.StartAsync(database, keep))
        {
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
                var topUp = TopUpBacklog(database, first, backlog);
                var phase = await MeasureAsync(database, retaining ? retain : keep, paths, rate, concurrency, seconds);
                Console.WriteLine(FormattableString.Invariant(
                    $"run {run + 1} {(retaining ? "retention" : "keep all ")}: {phase.PerSecond,6:F0} opens/s, p50 {phase.P50Ms:F2} ms, p99 {phase.P99Ms:F2} ms, max {phase.MaxMs:F1} ms, errors {phase.Errors}, old records deleted during the phase {phase.Deleted} ({phase.Deleted / phase.Seconds:F0}/s; {topUp} put back before, {phase.Left} left after), server CPU/open {phase.CpuMicrosPerOpen:F0} µs"));
                if (retaining) on = phase;
                else off = phase;
            }

            results.Add((off!, on!));
            if (on!.Deleting is { } d)
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"  deleting from {d.From:F1} s to {d.To:F1} s after start: p50 {on.PercentileIn(d.From, d.To, 0.5):F2} / p99 {on.PercentileIn(d.From, d.To, 0.99):F2} ms vs keep-all in the same seconds p50 {off!.PercentileIn(d.From, d.To, 0.5):F2} / p99 {off.PercentileIn(d.From, d.To, 0.99):F2} ms"));
            }
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
        var windows = results.Where(r => r.Retain.Deleting is not null).Select(r => (r.Keep, r.Retain, W: r.Retain.Deleting!.Value)).ToList();
        if (windows.Count > 0)
        {
            Console.WriteLine(FormattableString.Invariant($"| While deleting: duration | | {Median(windows.Select(x => x.W.To - x.W.From)):F1} s ({Median(windows.Select(x => x.Retain.Deleted / Math.Max(0.25, x.W.To - x.W.From))):F0} records/s) |"));
            Console.WriteLine(FormattableString.Invariant($"| While deleting: latency p50 (same seconds of the keep-all phase) | {Median(windows.Select(x => x.Keep.PercentileIn(x.W.From, x.W.To, 0.5))):F2} ms | {Median(windows.Select(x => x.Retain.PercentileIn(x.W.From, x.W.To, 0.5))):F2} ms |"));
            Console.WriteLine(FormattableString.Invariant($"| While deleting: latency p99 (same seconds of the keep-all phase) | {Median(windows.Select(x => x.Keep.PercentileIn(x.W.From, x.W.To, 0.99))):F2} ms | {Median(windows.Select(x => x.Retain.PercentileIn(x.W.From, x.W.To, 0.99))):F2} ms |"));
        }
        return 0;
    }

    private sealed record Phase(long Ok, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, double CpuSeconds, long Deleted, long Left = 0)
    {
        /// <summary>Each request: when it was due (seconds after the phase began) and its latency (ms).</summary>
        public (double DueS, double Ms)[] Requests { get; init; } = [];

        /// <summary>When the backlog shrank (seconds after the phase began): from the last sample before to the first after; null: it did not.</summary>
        public (double From, double To)? Deleting { get; init; }

        /// <summary>Latency percentile of the requests due within [from, to].</summary>
        public double PercentileIn(double from, double to, double p)
        {
            var ms = Requests.Where(r => r.DueS >= from && r.DueS <= to).Select(r => r.Ms).Order().ToArray();
            return ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)(p * ms.Length))];
        }

        public double PerSecond => Ok / Seconds;

        public double CpuMicrosPerOpen => Ok == 0 ? 0 : CpuSeconds * 1e6 / Ok;
    }

    private static async Task<Phase> MeasureAsync(string database, IEnumerable<KeyValuePair<string, string>> settings, List<string> paths, int rate, int concurrency, int seconds)
    {
        // Measured from the moment the server answers, both ways alike: the first sweep starts about 5 s after start.
        var before = CountOld(database);
        using var server = await ServerProcess.StartAsync(database, settings);
        var cpuBefore = ProcStat.CpuSeconds(server.ProcessId);
        var began = Stopwatch.GetTimestamp();
        using var stopSampling = new CancellationTokenSource();
        var samples = new List<(double At, long Count)>();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                samples.Add((Stopwatch.GetElapsedTime(began).TotalSeconds, CountOld(database)));
                try { await Task.Delay(250, stopSampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var phase = await PacedAsync(server, paths, rate, concurrency, TimeSpan.FromSeconds(seconds));
        await stopSampling.CancelAsync();
        await sampler;
        var cpu = ProcStat.CpuSeconds(server.ProcessId) - cpuBefore;
        var left = CountOld(database);
        var deleted = before - left;
        (double, double)? deleting = null;
        var firstLower = samples.FindIndex(x => x.Count < before);
        if (firstLower >= 0)
        {
            var lastChange = samples.FindIndex(x => x.Count == left);
            deleting = (samples[Math.Max(0, firstLower - 1)].At, samples[lastChange < 0 ? ^1 : lastChange].At);
        }

        await server.StopAsync(TimeSpan.FromSeconds(60));
        SqliteConnection.ClearAllPools();
        return phase with { CpuSeconds = cpu, Deleted = deleted, Left = left, Deleting = deleting };
    }

    /// <summary><paramref name="concurrency"/> keep-alive connections, each sending its share of <paramref name="rate"/> on a fixed schedule.</summary>
    private static async Task<Phase> PacedAsync(ServerProcess server, List<string> paths, int rate, int concurrency, TimeSpan duration)
    {
        var baseAddress = server.BaseAddress;
        var http = paths.Select(p => Encoding.ASCII.GetBytes($"GET {p} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUser-Agent: TidingsBench/1.0\r\nAccept: image/*\r\n\r\n")).ToArray();
        var interval = Stopwatch.Frequency * (double)concurrency / rate;
        var latencies = new List<(long Due, long Ticks)>[concurrency];
        var ok = new long[concurrency];
        var errors = new long[concurrency];
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<(long, long)>(1 << 14);
            var buffer = new byte[4096];
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            for (var k = 0L; ; k++)
            {
                var due = start + (long)((k + (double)w / concurrency) * interval);
                if (due >= end) break;
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                await socket.SendAsync(http[(int)((k * concurrency + w) % http.Length)]);
                var status = await RawHttp.ReadStatusAsync(socket, buffer);
                mine.Add((due - start, Stopwatch.GetTimestamp() - due));
                if (status == 200) ok[w]++;
                else errors[w]++;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        var requests = latencies.SelectMany(l => l).Select(r => ((double)r.Due / Stopwatch.Frequency, r.Ticks * 1000.0 / Stopwatch.Frequency)).ToArray();
        var all = requests.Select(r => r.Item2).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new Phase(ok.Sum(), errors.Sum(), seconds, Percentile(0.50), Percentile(0.99), Percentile(1.0), 0, 0) { Requests = requests };
    }

    /// <summary>
    /// Puts back the old profile change records at seq [<paramref name="first"/>, first + <paramref name="backlog"/>)
    /// that are missing; the first time the statistics cursor is moved past them (they are not counted anyway).
    /// </summary>
    private static long TopUpBacklog(string database, long first, int backlog)
    {
        using var c = new SqliteConnection($"Data Source={database}");
        c.Open();
        var missing = backlog - CountOld(c);
        if (missing > 0)
        {
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT OR IGNORE INTO journal (seq, event_id, account_id, type, occurred, payload) VALUES ($seq, $id, 1, $type, $occurred, '{\"ID\":1,\"fields\":{\"email\":\"old@example.com\"}}')";
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$type", BacklogType);
            insert.Parameters.AddWithValue("$occurred", DateTimeOffset.UtcNow.AddDays(-60).ToUnixTimeMilliseconds());
            insert.Prepare();
            for (var i = 0; i < backlog; i++)
            {
                seq.Value = first + i;
                id.Value = Guid.NewGuid().ToString("N");
                insert.ExecuteNonQuery();
            }

            using var cursor = c.CreateCommand();
            cursor.Transaction = tx;
            cursor.CommandText = "INSERT INTO consumer_cursors (name, seq) VALUES ('statistics', $last) ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)";
            cursor.Parameters.AddWithValue("$last", first + backlog - 1);
            cursor.ExecuteNonQuery();
            tx.Commit();
        }

        SqliteConnection.ClearAllPools();
        return Math.Max(0, missing);
    }

    private static long NextSeq(string database)
    {
        using var c = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) + 1 FROM journal";
        var next = (long)cmd.ExecuteScalar()!;
        SqliteConnection.ClearAllPools();
        return next;
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
