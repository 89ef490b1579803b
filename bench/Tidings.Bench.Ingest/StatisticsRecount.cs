using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Ingest;

/// <summary>
/// The statistics consumer's own cost, apart from ingest (<c>--statistics-recount</c>): on the stopped server's
/// database, the counters are emptied and the statistics cursor set back to 0; a fresh server then counts the whole
/// journal while nothing else happens. Its CPU until caught up, less the CPU of a start with nothing to count (the
/// same start-up work), divided by the journal's rows, is what counting one record costs.
/// </summary>
internal static class StatisticsRecount
{
    public static async Task RunAsync(string databaseFile, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        long rows;
        using (var c = new SqliteConnection($"Data Source={databaseFile}"))
        {
            c.Open();
            using var reset = c.CreateCommand();
            reset.CommandText = "UPDATE consumer_cursors SET seq = 0 WHERE name = 'statistics'; DELETE FROM mailing_statistics; DELETE FROM destination_results;";
            reset.ExecuteNonQuery();
            using var count = c.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM journal";
            rows = (long)count.ExecuteScalar()!;
        }

        SqliteConnection.ClearAllPools();
        double counting, wall;
        using (var server = await ServerProcess.StartAsync(databaseFile, settings))
        {
            var clock = Stopwatch.StartNew();
            while (IngestBenchmark.StatisticsBehind(databaseFile) && clock.Elapsed < TimeSpan.FromMinutes(10)) await Task.Delay(20);
            wall = clock.Elapsed.TotalSeconds;
            counting = ProcStat.CpuSeconds(server.ProcessId);
            await server.StopAsync(TimeSpan.FromSeconds(60));
        }

        double idle;
        using (var server = await ServerProcess.StartAsync(databaseFile, settings))
        {
            await Task.Delay(TimeSpan.FromSeconds(wall));
            idle = ProcStat.CpuSeconds(server.ProcessId);
            await server.StopAsync(TimeSpan.FromSeconds(60));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"| Statistics recount of {rows} journal rows | CPU {(counting - idle) * 1e6 / rows:F1} µs per row (start with counting {counting:F2} s, without {idle:F2} s); caught up {wall:F1} s after the server answered |"));
    }
}
