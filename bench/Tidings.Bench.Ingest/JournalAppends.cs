using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Bench.Ingest;

/// <summary>
/// Journal appends on PostgreSQL: rows committed per second by 1, 4 and 8 concurrent appenders through the real append
/// path (<see cref="JournalInserter"/> in <see cref="PostgresStorage"/> transactions), without a lock (this build) and,
/// in the same run, with the global advisory lock earlier builds took before a transaction's first row (the bench takes
/// it itself). CPU per 1,000 rows of the bench process and of the PostgreSQL backends serving it, from <c>/proc</c>.
/// Usage: <c>--postgres CONNSTRING [--seconds 5] [--runs 3] [--rows-per-transaction 10]</c>; the connection string must
/// be allowed to create a database (one is created for the run and dropped after it).
/// </summary>
public static class JournalAppends
{
    private const string OldAppendLock = "SELECT pg_advisory_xact_lock(7242010)";

    public static async Task<int> RunAsync(string[] args, Func<string[], string, int, int> option)
    {
        var admin = args[Array.IndexOf(args, "--postgres") + 1];
        var seconds = option(args, "--seconds", 5);
        var runs = option(args, "--runs", 3);
        var perTransaction = option(args, "--rows-per-transaction", 10);
        int[] appenderCounts = [1, 4, 8];

        var name = "tidings_bench_journal_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 32 }.ConnectionString;
        try
        {
            var storage = new PostgresStorage(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = connectionString }));
            await new Migrator(storage, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
            Console.WriteLine(MachineFacts.Line());
            Console.WriteLine($"PostgreSQL {await ScalarAsync(connectionString, "SHOW server_version")}, synchronous_commit {await ScalarAsync(connectionString, "SHOW synchronous_commit")}; " +
                $"{seconds} s per phase, {runs} runs, {perTransaction} rows per transaction");

            // Warm-up: JIT, the pool's connections and the table's first pages.
            await PhaseAsync(storage, connectionString, 8, perTransaction, oldLock: false, TimeSpan.FromSeconds(Math.Max(2, seconds / 2)));

            var results = new List<(int Appenders, bool OldLock, Phase Result)>();
            for (var run = 0; run < runs; run++)
            {
                foreach (var appenders in appenderCounts)
                {
                    // The order of the two alternates from run to run, so drift on a shared machine hits both alike.
                    foreach (var oldLock in run % 2 == 0 ? new[] { true, false } : [false, true])
                    {
                        var phase = await PhaseAsync(storage, connectionString, appenders, perTransaction, oldLock, TimeSpan.FromSeconds(seconds));
                        results.Add((appenders, oldLock, phase));
                        Console.WriteLine(FormattableString.Invariant(
                            $"run {run + 1}, {appenders} appenders, {(oldLock ? "global lock" : "no lock    ")}: {phase.RowsPerSecond,8:F0} rows/s, CPU per 1,000 rows bench {phase.BenchMsPer1000:F1} ms, PostgreSQL backends {phase.BackendMsPer1000:F1} ms, all postgres processes {phase.PostgresMsPer1000:F1} ms"));
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("| Appenders | Global lock (earlier builds) | No lock (this build) | Ratio | CPU per 1,000 rows, lock / no lock: bench; PostgreSQL backends |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var appenders in appenderCounts)
            {
                var locked = results.Where(r => r.Appenders == appenders && r.OldLock).Select(r => r.Result).ToList();
                var free = results.Where(r => r.Appenders == appenders && !r.OldLock).Select(r => r.Result).ToList();
                var ratio = Median(Enumerable.Range(0, locked.Count).Select(i => free[i].RowsPerSecond / locked[i].RowsPerSecond));
                var rates = FormattableString.Invariant($"| {appenders} | {Median(locked.Select(p => p.RowsPerSecond)):F0} rows/s | {Median(free.Select(p => p.RowsPerSecond)):F0} rows/s | {ratio:F2} | ");
                var cpu = FormattableString.Invariant(
                    $"{Median(locked.Select(p => p.BenchMsPer1000)):F1} / {Median(free.Select(p => p.BenchMsPer1000)):F1} ms; {Median(locked.Select(p => p.BackendMsPer1000)):F1} / {Median(free.Select(p => p.BackendMsPer1000)):F1} ms |");
                Console.WriteLine(rates + cpu);
            }

            await storage.DisposeAsync();
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private sealed record Phase(double RowsPerSecond, double BenchMsPer1000, double BackendMsPer1000, double PostgresMsPer1000);

    private static async Task<Phase> PhaseAsync(PostgresStorage storage, string connectionString, int appenders, int perTransaction, bool oldLock, TimeSpan length)
    {
        // The pool's connections are opened before the clock starts, so the backends measured are the ones that serve.
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(_ => storage.WriteAsync(w => AppendAsync(w, 1, oldLock))));
        var backends = await BackendPidsAsync(connectionString);
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var benchBefore = self.TotalProcessorTime.TotalSeconds;
        var backendsBefore = backends.Sum(ProcStat.CpuSeconds);
        var postgresBefore = PostgresCpuSeconds();
        long rows = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < length)
            {
                await storage.WriteAsync(w => AppendAsync(w, perTransaction, oldLock));
                Interlocked.Add(ref rows, perTransaction);
            }
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var perThousand = 1000.0 / Math.Max(rows, 1) * 1000;
        return new Phase(rows / elapsed, (self.TotalProcessorTime.TotalSeconds - benchBefore) * perThousand,
            (backends.Sum(ProcStat.CpuSeconds) - backendsBefore) * perThousand, (PostgresCpuSeconds() - postgresBefore) * perThousand);
    }

    private static async Task<int> AppendAsync(WriteContext w, int rows, bool oldLock)
    {
        w.LeavesProfilesAlone();
        if (oldLock && w.NoteJournalAppend())
        {
            // What earlier builds did before a transaction's first row (the append path then sees its first row noted).
            await using var command = w.Connection.CreateCommand();
            command.Transaction = w.Transaction;
            command.CommandText = OldAppendLock;
            await command.ExecuteNonQueryAsync();
        }

        await using var inserter = JournalInserter.Create(w);
        for (var i = 0; i < rows; i++)
        {
            await inserter.InsertAsync(1, "open", 1_700_000_000_000, """{"destination":1,"ip":"192.0.2.1"}""", 1, 1, null);
        }

        return rows;
    }

    private static async Task<List<int>> BackendPidsAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", c);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids;
    }

    /// <summary>CPU of every process named postgres on this machine (WAL writer and others included; another user's load too).</summary>
    private static double PostgresCpuSeconds()
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "postgres") total += ProcStat.CpuSeconds(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
