// Log files benchmark: a day with 1,000,000 enriched open events, downloaded as cdm-impression in csv, json and xml.
// Starts the real server (Release build) on a temporary SQLite file, records one real mailing through the API to take
// the payload shape from, fills the journal directly, then measures the downloads and the server's memory.
//
//   dotnet build -c Release src/Tidings && dotnet run -c Release --project bench/Tidings.Bench.LogFiles [-- rows runs]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var root = FindRepositoryRoot();
var serverDll = Path.Combine(root, "src", "Tidings", "bin", "Release", "net10.0", "Tidings.dll");
if (!File.Exists(serverDll)) throw new InvalidOperationException("Build the server first: dotnet build -c Release src/Tidings");

var work = Path.Combine(Path.GetTempPath(), "tidings-bench-logfiles-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var dbPath = Path.Combine(work, "tidings.db");
var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(30) };

Server? server = null;
try
{
    // 1. First start: creates the database and prints the token; record one real mailing through the API.
    server = await Server.StartAsync(serverDll, work, dbPath, baseUrl, http);
    var token = server.Token ?? throw new InvalidOperationException("No token printed on first start");
    string Url(string path) => path + (path.Contains('?') ? "&" : "?") + "access_token=" + token;
    async Task<long> Create(string path, object body)
    {
        var r = await http.PostAsJsonAsync(Url(path), body);
        if (r.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST {path}: {await r.Content.ReadAsStringAsync()}");
        return long.Parse(r.Headers.GetValues("X-Created").Single(), CultureInfo.InvariantCulture);
    }

    var database = await Create("/v3/databases", new { name = "Customers" });
    foreach (var (name, type) in new[] { ("email", "email"), ("firstname", "text"), ("lastname", "text"), ("city", "text"), ("customerid", "integer") })
    {
        await Create($"/v3/database/{database}/fields", new { name, type });
    }

    await Create($"/v3/database/{database}/interests", new { name = "newsletter", group = "letters" });
    await Create($"/v3/database/{database}/profiles", new
    {
        fields = new { email = "marieke.jansen@example.com", firstname = "Marieke", lastname = "Jansen", city = "Amersfoort", customerid = 1048576 },
        interests = new[] { "newsletter" },
    });
    var mailing = await Create("/v3/ms/emailing", new
    {
        target = database, targettype = "database", template = 4711, subject = "Our autumn collection is here", senderdomain = "news.shop.example",
        from_address = new { name = "Shop", email = "news@shop.example" }, tags = new[] { "autumn", "newsletter" },
        links = new[] { "https://shop.example/autumn?utm_source=newsletter", "https://shop.example/account" },
    });
    for (var i = 0; i < 200; i++)
    {
        var m = JsonNode.Parse(await http.GetStringAsync(Url($"/v3/ms/emailing/{mailing}")))!;
        if (m["status"]!.GetValue<string>() == "sent") break;
        await Task.Delay(50);
    }

    await server.StopAsync();
    server = null;

    // 2. Fill the journal: the recorded attempt's enriched payload plus the facts of an open, one transaction.
    var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
    var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    var dayStart = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone), TimeSpan.Zero).ToUnixTimeMilliseconds();
    var fill = Stopwatch.StartNew();
    long payloadBytes;
    await using (var c = new SqliteConnection($"Data Source={dbPath}"))
    {
        await c.OpenAsync();
        long account, mailingId, destination;
        string attempt;
        await using (var q = c.CreateCommand())
        {
            q.CommandText = "SELECT account_id, mailing_id, destination_id, payload FROM journal WHERE type = 'attempt' LIMIT 1";
            await using var r = await q.ExecuteReaderAsync();
            await r.ReadAsync();
            (account, mailingId, destination, attempt) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3));
        }

        var shape = JsonNode.Parse(attempt)!.AsObject();
        shape["message"] = "@@MESSAGE@@";
        shape["email"] = "@@EMAIL@@";
        shape["ip"] = "203.0.113.@@IP@@";
        shape["useragent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
        shape["referer"] = "";
        shape["headers"] = new JsonObject
        {
            ["Host"] = "t.shop.example",
            ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
            ["Accept"] = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            ["Accept-Encoding"] = "gzip, deflate, br",
            ["Accept-Language"] = "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
            ["X-Forwarded-For"] = "203.0.113.@@IP@@",
        };
        var template = shape.ToJsonString();
        payloadBytes = template.Length;

        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO journal (event_id, account_id, type, occurred, payload, mailing_id, destination_id) VALUES ($id, $account, 'open', $occurred, $payload, $mailing, $destination)";
        var pId = insert.Parameters.Add("$id", SqliteType.Text);
        var pOccurred = insert.Parameters.Add("$occurred", SqliteType.Integer);
        var pPayload = insert.Parameters.Add("$payload", SqliteType.Text);
        insert.Parameters.AddWithValue("$account", account);
        insert.Parameters.AddWithValue("$mailing", mailingId);
        insert.Parameters.AddWithValue("$destination", destination);
        insert.Prepare();
        var step = 86_400_000.0 / rows;
        for (var i = 0; i < rows; i++)
        {
            var message = i.ToString("x16", CultureInfo.InvariantCulture);
            pId.Value = Guid.CreateVersion7().ToString("N");
            pOccurred.Value = dayStart + (long)(i * step);
            pPayload.Value = template.Replace("@@MESSAGE@@", message).Replace("@@EMAIL@@", $"customer{i}@example.com").Replace("@@IP@@", (i % 250 + 1).ToString(CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        await using var plan = c.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT seq, type, occurred, payload FROM journal INDEXED BY ix_journal_type_seq WHERE account_id = 1 AND type = 'open' AND seq > 0 AND seq <= 99999999 AND occurred >= 0 AND occurred < 99999999999999 ORDER BY seq";
        await using var pr = await plan.ExecuteReaderAsync();
        while (await pr.ReadAsync()) Console.WriteLine("query plan: " + pr.GetString(3));
    }

    Console.WriteLine($"filled {rows:N0} open events ({payloadBytes} bytes of payload each) in {fill.Elapsed.TotalSeconds:F1} s; database {new FileInfo(dbPath).Length / 1048576.0:F0} MiB");

    // 3. Second start: download the day's cdm-impression file in each format, sampling the server's memory.
    server = await Server.StartAsync(serverDll, work, dbPath, baseUrl, http);
    var file = $"cdm-impression.{day:yyyy-MM-dd}.log";
    Console.WriteLine("names: " + await http.GetStringAsync(Url($"/v3/logfiles?date={day:yyyy-MM-dd}")));
    var results = new List<string>();
    foreach (var format in new[] { "csv", "json", "xml" })
    {
        var times = new List<double>();
        long bytes = 0, peak = 0, before = 0, anonBefore = 0, anonPeak = 0;
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            var now = Server.RssKiB(server.Pid);
            var anonNow = Server.RssKiB(server.Pid, "RssAnon:");
            if (run == 0) (before, anonBefore) = (now, anonNow); // the table reports memory before the first download of the format
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                long max = 0, maxAnon = 0;
                while (!sampling.IsCancellationRequested)
                {
                    max = Math.Max(max, Server.RssKiB(server.Pid));
                    maxAnon = Math.Max(maxAnon, Server.RssKiB(server.Pid, "RssAnon:"));
                    try { await Task.Delay(10, sampling.Token); } catch (OperationCanceledException) { }
                }

                return (max, maxAnon);
            });
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync(Url($"/v3/logfile/{file}/{format}"), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long total = 0, lines = 0;
            byte previous = 0;
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                total += n;
                if (format == "csv") lines += CountCrLf(buffer.AsSpan(0, n), ref previous);
            }

            sw.Stop();
            sampling.Cancel();
            var (sampledPeak, sampledAnon) = await sampler;
            peak = Math.Max(peak, sampledPeak);
            anonPeak = Math.Max(anonPeak, sampledAnon);
            bytes = total;
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"{format} run {run + 1}: {total / 1048576.0:F1} MiB in {sw.Elapsed.TotalSeconds:F2} s, RSS {now / 1024.0:F0} -> peak {peak / 1024.0:F0} MiB, anonymous {anonNow / 1024.0:F0} -> peak {anonPeak / 1024.0:F0} MiB{(format == "csv" ? $", {lines:N0} records" : "")}");
        }

        times.Sort();
        var median = times[times.Count / 2];
        results.Add($"| {format} | {bytes / 1048576.0:F0} | {median:F2} | {bytes / 1048576.0 / median:F0} | {rows / median:N0} | {before / 1024.0:F0} | {peak / 1024.0:F0} | {anonBefore / 1024.0:F0} | {anonPeak / 1024.0:F0} |");
    }

    Console.WriteLine();
    Console.WriteLine($"| Format | Size (MiB) | Median time (s) | MiB/s | Rows/s | Server RSS before (MiB) | Server RSS peak during download (MiB) | Anonymous memory before (MiB) | Anonymous memory peak (MiB) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var line in results) Console.WriteLine(line);
}
finally
{
    if (server is not null) await server.StopAsync();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null)
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }
    else
    {
        Console.WriteLine("kept " + work);
    }
}

return 0;

// CSV records end in CRLF; the header column only holds bare LFs, so records = CRLFs (also across buffer boundaries).
static int CountCrLf(ReadOnlySpan<byte> span, ref byte previous)
{
    var count = 0;
    foreach (var b in span)
    {
        if (b == (byte)'\n' && previous == (byte)'\r') count++;
        previous = b;
    }

    return count;
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Tidings.slnx"))) return dir.FullName;
    }

    throw new InvalidOperationException("Run from inside the repository");
}

/// <summary>The Tidings server as a child process.</summary>
internal sealed class Server
{
    private readonly Process _process;

    private Server(Process process) => _process = process;

    public int Pid => _process.Id;

    public string? Token { get; private set; }

    public static async Task<Server> StartAsync(string dll, string work, string dbPath, string baseUrl, HttpClient http)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, $"--Urls={baseUrl}", "--Storage:SqlitePath=" + dbPath, "--LogFiles:RetentionDays=0", "--Logging:LogLevel:Default=Warning" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var server = new Server(Process.Start(info)!);
        var marker = false;
        server._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            // The token follows the first marker on a terminal; redirected, as here, the file holding it follows the second.
            if (e.Data.Contains("access token (shown only now):", StringComparison.Ordinal) || e.Data.Contains("readable only by this user", StringComparison.Ordinal)) marker = true;
            else if (marker && server.Token is null && e.Data.Trim() is { Length: > 0 } word)
            {
                server.Token = Path.IsPathRooted(word) && File.Exists(word) ? File.ReadAllText(word).Trim() : word;
            }
        };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var r = await http.GetAsync("/v3/identity");
                return server; // any answer (400 without token) means it listens
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("Server did not start");
    }

    /// <summary>
    /// A memory figure of the server in KiB from /proc: VmRSS (everything resident, including the memory-mapped
    /// database file) or RssAnon (the process's own heap and stacks, which is what must stay flat).
    /// </summary>
    public static long RssKiB(int pid, string field = "VmRSS:")
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal)) return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
