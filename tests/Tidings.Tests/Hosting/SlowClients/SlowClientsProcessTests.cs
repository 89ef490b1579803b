using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Tidings.Bench;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Hosting.SlowClients;

/// <summary>
/// The real server under 500 slowloris connections and log-file downloads that never read, while a client makes normal
/// requests (REST reads that need a database reader, and an open pixel): every normal request is answered, without a
/// 5xx, within 2 s; the slowloris connections are closed by the header timeout; the stalled downloads are cut off by
/// the write timeout and give their read connections back (a full download afterwards, on a streaming pool of two).
/// </summary>
public sealed class SlowClientsProcessTests : IDisposable
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private const int Slowloris = 500;
    private const int Stalled = 200;
    /// <summary>
    /// Rows of the day's file: about 100 bytes each, twice what the kernel's largest send buffer holds, so a client that
    /// reads nothing cannot take the whole file into socket buffers and the server's writes do block.
    /// </summary>
    private static readonly int Rows = Math.Max(40_000, (int)(LargestSendBuffer() * 2 / 100));
    private const string Day = "2026-03-24";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(3);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-slow-clients", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Settings of the server under test: short bounds so the test sees them act.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Server:RequestHeadersTimeout"] = "00:00:03",
        ["Server:ResponseWriteTimeout"] = "00:00:03",
        ["Storage:StreamingReadConnections"] = "2",
        ["LogFiles:RetentionDays"] = "0",
    };

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Normal_requests_are_answered_within_2_s_without_a_5xx_while_slowloris_and_stalled_downloads_are_cut_off()
    {
        SlowClientLoad.EnsureOpenFiles(Slowloris + Stalled + 500).ShouldBeNull();
        var database = Path.Combine(_directory, "tidings.db");
        string token;
        using (var first = await ServerProcess.StartAsync(database, Settings, ct: Ct))
        {
            token = await first.WaitForAccessTokenAsync(Bound);
            await first.StopAsync(Bound);
        }

        await FillDayAsync(database);
        using var server = await ServerProcess.StartAsync(database, Settings, ct: Ct);
        var file = $"/v3/logfile/cdm-impression.{Day}.log/csv?access_token={token}";
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        var paths = new[] { $"v3/logfiles?access_token={token}", $"v3/logfiles?date={Day}&access_token={token}", $"v3/identity?access_token={token}", "t/o/slowclients.gif" };
        foreach (var path in paths) (await http.GetAsync(path, Ct)).EnsureSuccessStatusCode(); // warm: the first call of an endpoint compiles it

        var loadStarted = Stopwatch.StartNew();
        await using var load = await SlowClientLoad.StartAsync(server.BaseAddress, Slowloris, Stalled, file);
        load.SlowlorisOpen.ShouldBeGreaterThan(Slowloris * 9 / 10, "the slowloris connections should be open");

        // Normal requests for a while: longer than the header and write timeouts, so both act during it.
        var answers = new List<(string Path, int Status, TimeSpan Took, TimeSpan At)>();
        var until = Stopwatch.StartNew();
        for (var i = 0; until.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            var path = paths[i % paths.Length];
            var started = Stopwatch.GetTimestamp();
            var at = loadStarted.Elapsed;
            var status = 0;
            try
            {
                using var response = await http.GetAsync(path, Ct);
                await response.Content.ReadAsByteArrayAsync(Ct);
                status = (int)response.StatusCode;
            }
            catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
            {
                // unanswered: status 0
            }

            answers.Add((path, status, Stopwatch.GetElapsedTime(started), at));
        }

        var late = answers.Where(a => a.Status is 0 or >= 500 || a.Took > TimeSpan.FromSeconds(2)).ToList();
        late.ShouldBeEmpty(string.Join('\n', late.Take(10).Select(a => $"{a.Path.Split('?')[0]}: {a.Status} in {a.Took.TotalMilliseconds:F0} ms, {a.At.TotalSeconds:F1} s into the load")));
        answers.Count.ShouldBeGreaterThan(20);
        answers.Where(a => a.Path.StartsWith("t/o/", StringComparison.Ordinal)).ShouldAllBe(a => a.Status == 200);
        answers.Where(a => a.Path.StartsWith("v3/", StringComparison.Ordinal)).ShouldAllBe(a => a.Status == 200);

        // Slowloris: each slot's first connection was closed by the header timeout (not before it, not much after it).
        load.FirstLifetimes.Count.ShouldBeGreaterThan(Slowloris * 9 / 10, $"{load.FirstLifetimes.Count} of {Slowloris} slowloris connections were closed");
        load.FirstLifetimes.Min().ShouldBeGreaterThan(HeaderTimeout - TimeSpan.FromSeconds(1));
        load.FirstLifetimes.Max().ShouldBeLessThan(HeaderTimeout + TimeSpan.FromSeconds(8));

        // Stalled downloads: cut off (closed before the whole file was sent), each logged once.
        List<string> CutOff() => server.Output.Where(l => l.Contains("[19450]", StringComparison.Ordinal)).ToList();
        for (var waited = Stopwatch.StartNew(); CutOff().Count < Stalled && waited.Elapsed < TimeSpan.FromSeconds(30);) await Task.Delay(100, Ct);
        var cutOff = CutOff();
        var drained = new List<(long Bytes, bool Closed)>();
        foreach (var download in load.Downloads) drained.Add(await download.DrainAsync(TimeSpan.FromSeconds(20)));

        // Their read connections came back: a whole download works on the streaming pool of two.
        using var whole = await http.GetAsync(file, Ct);
        var text = await whole.Content.ReadAsStringAsync(Ct);
        ((int)whole.StatusCode).ShouldBe(200, text.Length < 500 ? text : text[..500]);
        text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(Rows);

        foreach (var (bytes, closed) in drained)
        {
            closed.ShouldBeTrue($"a download that reads nothing is closed by the write timeout (it got {bytes} of {text.Length} bytes; all: {string.Join(", ", drained)}; {cutOff.Count} cut off)");
            bytes.ShouldBeLessThan(text.Length, "a stalled download never gets the whole file");
        }

        cutOff.Count.ShouldBe(Stalled, string.Join('\n', cutOff));
        server.Output.ShouldNotContain(l => l.Contains("fail:", StringComparison.Ordinal), "no request failed in the server");
    }

    private static long LargestSendBuffer()
    {
        try { return long.Parse(File.ReadAllText("/proc/sys/net/ipv4/tcp_wmem").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture); }
        catch (IOException) { return 4 << 20; }
    }

    /// <summary>Journals <see cref="Rows"/> opens of the first account on <see cref="Day"/>.</summary>
    private static async Task FillDayAsync(string database)
    {
        await using var c = new SqliteConnection($"Data Source={database};Pooling=false");
        await c.OpenAsync(Ct);
        await using var account = c.CreateCommand();
        account.CommandText = "SELECT MIN(id) FROM accounts";
        var accountId = (long)(await account.ExecuteScalarAsync(Ct))!;
        var noon = new DateTimeOffset(2026, 3, 24, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(Ct);
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES ($id, $account, 'open', $occurred, $payload)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var occurred = insert.Parameters.Add("$occurred", SqliteType.Integer);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        insert.Parameters.AddWithValue("$account", accountId);
        for (var i = 0; i < Rows; i++)
        {
            id.Value = Guid.CreateVersion7().ToString("N");
            occurred.Value = noon + i;
            payload.Value = "{\"message\":\"" + i.ToString("x16", CultureInfo.InvariantCulture) + "\",\"email\":\"customer" + i.ToString(CultureInfo.InvariantCulture)
                + "@example.com\",\"ip\":\"203.0.113." + (i % 250 + 1).ToString(CultureInfo.InvariantCulture) + "\",\"useragent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36\","
                + "\"referer\":\"\",\"headers\":{\"User-Agent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"Accept\":\"image/*\"}}";
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await tx.CommitAsync(Ct);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
