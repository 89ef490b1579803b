// Slow clients benchmark: latency of normal requests (REST reads that need a database reader, identity, an open pixel)
// from one client, without and with 500 slowloris connections and never-reading log-file downloads, same server, same
// run. Default server settings (the point is what operators get). See docs/benchmarks.md ("Slow clients").
//
//   dotnet run -c Release --project bench/Tidings.Bench.SlowClients [-- --runs 3 --seconds 10 --slowloris 500 --stalled 10 --rows 100000 --no-build]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tidings.Bench;

var o = (Runs: 3, Seconds: 10, Slowloris: 500, Stalled: 10, Rows: 100_000, Build: true);
for (var i = 0; i < args.Length; i++)
{
    int Int() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--runs": o.Runs = Int(); break;
        case "--seconds": o.Seconds = Int(); break;
        case "--slowloris": o.Slowloris = Int(); break;
        case "--stalled": o.Stalled = Int(); break;
        case "--rows": o.Rows = Int(); break;
        case "--no-build": o.Build = false; break;
        default: Console.Error.WriteLine("Usage: Tidings.Bench.SlowClients [--runs K] [--seconds S] [--slowloris N] [--stalled N] [--rows N] [--no-build]"); return 2;
    }
}

if (SlowClientLoad.EnsureOpenFiles((ulong)(o.Slowloris + o.Stalled + 1000)) is { } fdProblem)
{
    Console.Error.WriteLine(fdProblem);
    return 2;
}

var serverDll = Environment.GetEnvironmentVariable("TIDINGS_BENCH_SERVER_DLL") ?? ServerProcess.LocateServer(o.Build);
using var server = await ServerProcess.StartAsync(serverDll, CancellationToken.None);
// Yesterday (Europe/Amsterdam, the default Rest:TimeZone), so the retention sweep keeps it.
var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime).AddDays(-1);
var Day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
await FillDayAsync(server.DatabasePath, o.Rows, new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).ToUnixTimeMilliseconds());
var token = server.Token;
var file = $"/v3/logfile/cdm-impression.{Day}.log/csv?access_token={token}";
var paths = new[] { $"v3/logfiles?access_token={token}", $"v3/logfiles?date={Day}&access_token={token}", $"v3/identity?access_token={token}", "t/o/bench.gif" };
using var http = server.NewClient(1);
http.Timeout = TimeSpan.FromSeconds(10);
await PhaseAsync(TimeSpan.FromSeconds(3)); // warm-up

Console.WriteLine(MachineFacts.Line());
Console.WriteLine($"{o.Runs} runs of {o.Seconds} s per phase; load: {o.Slowloris} slowloris connections, {o.Stalled} never-reading downloads of a {o.Rows:N0}-row log file");
var results = new List<(Phase Quiet, Phase Loaded)>();
for (var run = 1; run <= o.Runs; run++)
{
    var quiet = await PhaseAsync(TimeSpan.FromSeconds(o.Seconds));
    Phase loaded;
    await using (var load = await SlowClientLoad.StartAsync(server.BaseAddress, o.Slowloris, o.Stalled, file))
    {
        loaded = await PhaseAsync(TimeSpan.FromSeconds(o.Seconds));
        loaded = loaded with { SlowlorisOpen = load.SlowlorisOpen };
    }

    results.Add((quiet, loaded));
    Console.WriteLine($"run {run}: quiet {quiet}; loaded {loaded}");
    await Task.Delay(TimeSpan.FromSeconds(2)); // the server closes what the load left behind
}

double Med(Func<(Phase Quiet, Phase Loaded), double> f) => Stats.Median(results.Select(f));
Console.WriteLine();
Console.WriteLine("| Phase | Requests | p50 (ms) | p99 (ms) | max (ms) | 5xx or unanswered | Server CPU per request (ms) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
Console.WriteLine($"| Without slow clients | {Med(r => r.Quiet.Count):F0} | {Med(r => r.Quiet.P50):F1} | {Med(r => r.Quiet.P99):F1} | {Med(r => r.Quiet.Max):F0} | {results.Sum(r => r.Quiet.Failed)} | {Med(r => r.Quiet.CpuMs):F2} |");
Console.WriteLine($"| With slow clients | {Med(r => r.Loaded.Count):F0} | {Med(r => r.Loaded.P50):F1} | {Med(r => r.Loaded.P99):F1} | {Med(r => r.Loaded.Max):F0} | {results.Sum(r => r.Loaded.Failed)} | {Med(r => r.Loaded.CpuMs):F2} |");
Console.WriteLine($"p99 ratio loaded/quiet (median of runs): {Med(r => r.Loaded.P99 / r.Quiet.P99):F1}; goal p99 <= 50 ms: {(Med(r => r.Loaded.P99) <= 50 ? "met" : "not met")}");
return results.Any(r => r.Loaded.Failed > 0 || r.Quiet.Failed > 0) ? 1 : 0;

async Task<Phase> PhaseAsync(TimeSpan duration)
{
    var took = new List<double>();
    var failed = 0;
    var cpu = server.CpuTime();
    var clock = Stopwatch.StartNew();
    for (var i = 0; clock.Elapsed < duration; i++)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(paths[i % paths.Length]);
            await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode >= 500) failed++;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            failed++;
        }

        took.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    var cpuMs = (server.CpuTime() - cpu).TotalMilliseconds / Math.Max(1, took.Count);
    return new Phase(took.Count, Stats.Percentile(took, 50), Stats.Percentile(took, 99), took.Max(), failed, cpuMs, 0);
}

static async Task FillDayAsync(string database, int rows, long noon)
{
    await using var c = new SqliteConnection($"Data Source={database};Pooling=false;Default Timeout=30");
    await c.OpenAsync();
    await using var account = c.CreateCommand();
    account.CommandText = "SELECT MIN(id) FROM accounts";
    var accountId = (long)(await account.ExecuteScalarAsync())!;
    await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
    await using var insert = c.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES ($id, $account, 'open', $occurred, $payload)";
    var id = insert.Parameters.Add("$id", SqliteType.Text);
    var occurred = insert.Parameters.Add("$occurred", SqliteType.Integer);
    var payload = insert.Parameters.Add("$payload", SqliteType.Text);
    insert.Parameters.AddWithValue("$account", accountId);
    for (var i = 0; i < rows; i++)
    {
        id.Value = Guid.CreateVersion7().ToString("N");
        occurred.Value = noon + i;
        payload.Value = "{\"message\":\"" + i.ToString("x16", CultureInfo.InvariantCulture) + "\",\"email\":\"customer" + i.ToString(CultureInfo.InvariantCulture)
            + "@example.com\",\"ip\":\"203.0.113." + (i % 250 + 1).ToString(CultureInfo.InvariantCulture) + "\",\"useragent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"referer\":\"\",\"headers\":{\"Accept\":\"image/*\"}}";
        await insert.ExecuteNonQueryAsync();
    }

    await tx.CommitAsync();
}

internal sealed record Phase(int Count, double P50, double P99, double Max, int Failed, double CpuMs, int SlowlorisOpen)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} requests, p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F0} ms, {Failed} failed, server CPU {CpuMs:F2} ms/request{(SlowlorisOpen > 0 ? $", {SlowlorisOpen} slowloris open at the end" : "")}");
}
