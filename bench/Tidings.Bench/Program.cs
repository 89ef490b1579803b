using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Tidings.Bench;

// Benchmark of the profile hot paths through the REST API: see docs/benchmarks.md.
var options = BenchOptions.Parse(args);
if (options is null) return 2;

var serverDll = options.Server ?? ServerProcess.LocateServer(options.Build);
var runs = new List<RunResult>();
for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"Run {run} of {options.Runs}");
    runs.Add(await Bench.RunAsync(serverDll, options));
}

Bench.PrintReport(options, runs);
return runs.Any(r => r.Failures > 0) ? 1 : 0;

public sealed record BenchOptions(long Profiles, int Concurrency, int Seconds, int Requests, int Runs, bool Build, string? Server)
{
    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions(100_000, 32, 10, 200, 3, true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
            switch (args[i])
            {
                case "--profiles": o = o with { Profiles = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--concurrency": o = o with { Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--seconds": o = o with { Seconds = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--requests": o = o with { Requests = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--runs": o = o with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--no-build": o = o with { Build = false }; break;
                case "--server": o = o with { Server = Path.GetFullPath(Next()) }; break;
                default:
                    Console.Error.WriteLine("""
                        Usage: Tidings.Bench [--profiles N] [--concurrency C] [--seconds S] [--requests R] [--runs K] [--no-build] [--server DLL]
                          --profiles N     profiles to create (default 100000)
                          --concurrency C  concurrent keep-alive clients for the identity baseline and the creates (default 32)
                          --seconds S      duration of the identity baseline (default 10)
                          --requests R     measured requests per filtered list (default 200)
                          --runs K         repetitions, each on a fresh server and database; figures are medians (default 3)
                          --no-build       use the existing Release build of the server
                          --server DLL     run this Tidings.dll instead (for example a copy of an older build)
                        """);
                    return null;
            }
        }

        return o;
    }
}

public sealed record ListResult(string Name, string Query, double MedianMs, double P95Ms, long Total, double ServerCpuMs);

public sealed record RunResult(LoadResult Baseline, LoadResult Creates, IReadOnlyList<ListResult> Lists, double PeakMiB, double RssMiB, long Failures)
{
    /// <summary>Server CPU time per identity request, in microseconds.</summary>
    public double BaselineCpuUs { get; init; }

    /// <summary>Server CPU time per profile create, in microseconds.</summary>
    public double CreateCpuUs { get; init; }
}

public static class Bench
{
    private static readonly string[] Cities = ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen"];
    private static readonly string[] FirstNames = ["Anna", "Bram", "Chantal", "Daan", "Emma", "Finn", "Guus", "Hanna", "Iris", "Jesse", "Koen", "Lotte", "Milan", "Noor", "Olaf", "Pien", "Quinten", "Roos", "Sem", "Tess"];
    private static readonly string[] LastNames = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer"];

    public static async Task<RunResult> RunAsync(string serverDll, BenchOptions o)
    {
        using var server = await ServerProcess.StartAsync(serverDll, CancellationToken.None);
        using var client = server.NewClient(o.Concurrency);
        var token = server.Token;
        long failures = 0;

        var databaseId = await RestCreate.PostAsync(client, $"v3/databases?access_token={token}", """{"name":"Bench"}""");
        foreach (var field in new[]
        {
            """{"name":"email","type":"email"}""", """{"name":"firstname","type":"text"}""", """{"name":"lastname","type":"text"}""",
            """{"name":"city","type":"text","index":true}""", """{"name":"age","type":"integer"}""", """{"name":"created","type":"datetime"}""",
        })
        {
            await RestCreate.PostAsync(client, $"v3/database/{databaseId}/fields?access_token={token}", field);
        }

        // a. Baseline: the cheapest authenticated request, after a short warm-up.
        var identity = $"v3/identity?access_token={token}";
        async Task<bool> Identity(long _)
        {
            using var response = await client.GetAsync(identity);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }

        await Load.ForDurationAsync(o.Concurrency, TimeSpan.FromSeconds(2), Identity);
        Console.Error.WriteLine($"  baseline GET /v3/identity for {o.Seconds} s with {o.Concurrency} clients…");
        var cpu = server.CpuTime();
        var baseline = await Load.ForDurationAsync(o.Concurrency, TimeSpan.FromSeconds(o.Seconds), Identity);
        var baselineCpu = (server.CpuTime() - cpu).TotalMicroseconds / Math.Max(1, baseline.Completed + baseline.Failed);
        failures += baseline.Failed;

        // b. Creates.
        var bodies = Enumerable.Range(0, (int)o.Profiles).Select(ProfileBody).ToArray();
        var profiles = $"v3/database/{databaseId}/profiles?access_token={token}";
        Console.Error.WriteLine($"  creating {o.Profiles} profiles with {o.Concurrency} clients…");
        cpu = server.CpuTime();
        var creates = await Load.CountAsync(o.Concurrency, o.Profiles, async n =>
        {
            using var content = new StringContent(bodies[n], Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(profiles, content);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.Created && response.Headers.Contains("X-Created");
        });
        failures += creates.Failed;
        var createCpu = (server.CpuTime() - cpu).TotalMicroseconds / Math.Max(1, o.Profiles);

        // c. Filtered pages, one client, one request at a time.
        Console.Error.WriteLine($"  filtered lists, {o.Requests} requests each…");
        var lists = new List<ListResult>();
        foreach (var (name, query) in new (string, Func<int, string>)[]
        {
            ("city==X (indexed text, ~10%)", i => $"fields[]=city=={Uri.EscapeDataString(Cities[i % Cities.Length])}"),
            ("age>60 (unindexed integer, ~38%)", _ => "fields[]=age>60"),
            ("city==X, age>60, orderby=lastname", i => $"fields[]=city=={Uri.EscapeDataString(Cities[i % Cities.Length])}&fields[]=age>60&orderby=lastname"),
            ("no filter, first page", _ => ""),
        })
        {
            var (result, failed) = await ListAsync(server, client, $"v3/database/{databaseId}/profiles?access_token={token}&limit=100&", name, query, o.Requests);
            lists.Add(result);
            failures += failed;
        }

        var (peak, rss) = server.Memory();
        return new RunResult(baseline, creates, lists, peak, rss, failures) { BaselineCpuUs = baselineCpu, CreateCpuUs = createCpu };
    }

    private static async Task<(ListResult Result, long Failed)> ListAsync(ServerProcess server, HttpClient client, string prefix, string name, Func<int, string> query, int requests)
    {
        var timings = new List<double>(requests);
        long failed = 0, total = -1;
        var cpu = TimeSpan.Zero;
        for (var i = -10; i < requests; i++)
        {
            if (i == 0) cpu = server.CpuTime();
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(prefix + query(i + 10));
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 0) timings.Add(ms);

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (response.StatusCode != HttpStatusCode.OK || root.GetProperty("data").GetArrayLength() != 100 || !root.TryGetProperty("total", out var t))
            {
                failed++;
                Console.Error.WriteLine($"  unexpected answer for {name}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)[..Math.Min(200, body.Length)]}");
                continue;
            }

            total = t.ValueKind == JsonValueKind.String ? long.Parse(t.GetString()!, CultureInfo.InvariantCulture) : t.GetInt64();
        }

        var cpuMs = (server.CpuTime() - cpu).TotalMilliseconds / requests;
        return (new ListResult(name, query(0), Stats.Median(timings), Stats.Percentile(timings, 95), total, cpuMs), failed);
    }

    private static string ProfileBody(int i)
    {
        var random = new Random(i);
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var city = Cities[random.Next(Cities.Length)];
        var age = random.Next(18, 88);
        var created = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMinutes(random.Next(0, 3 * 365 * 24 * 60));
        return JsonSerializer.Serialize(new
        {
            fields = new Dictionary<string, object>
            {
                ["email"] = $"user{i}@example.org",
                ["firstname"] = first,
                ["lastname"] = last,
                ["city"] = city,
                ["age"] = age,
                ["created"] = created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            },
        });
    }

    public static void PrintReport(BenchOptions o, IReadOnlyList<RunResult> runs)
    {
        string F(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);
        string Spread(Func<RunResult, double> pick, string format = "N0") =>
            runs.Count == 1 ? F(pick(runs[0]), format) : $"{F(Stats.Median(runs.Select(pick)), format)} ({F(runs.Min(pick), format)}–{F(runs.Max(pick), format)})";

        Console.WriteLine();
        Console.WriteLine(MachineFacts.Line());
        Console.WriteLine($"Profiles {o.Profiles:N0}, concurrency {o.Concurrency}, baseline {o.Seconds} s, {o.Requests} requests per list, {runs.Count} run(s): median (min–max over runs)");
        Console.WriteLine();
        Console.WriteLine("| Measurement | Result |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| Baseline `GET /v3/identity`, requests/s (total/elapsed) | {Spread(r => r.Baseline.Overall)} |");
        Console.WriteLine($"| Baseline, median of per-second rates | {Spread(r => r.Baseline.MedianPerSecond)} |");
        Console.WriteLine($"| Profile creates/s (total/elapsed) | {Spread(r => r.Creates.Overall)} |");
        Console.WriteLine($"| Profile creates, median of per-second rates | {Spread(r => r.Creates.MedianPerSecond)} |");
        Console.WriteLine($"| Creates/s ÷ baseline requests/s (same run) | {Spread(r => r.Creates.Overall / r.Baseline.Overall, "P0")} |");
        Console.WriteLine($"| Server CPU per identity request, µs | {Spread(r => r.BaselineCpuUs)} |");
        Console.WriteLine($"| Server CPU per create, µs | {Spread(r => r.CreateCpuUs)} |");
        Console.WriteLine($"| Server CPU per create ÷ per identity request (same run) | {Spread(r => r.CreateCpuUs / r.BaselineCpuUs, "N1")} |");
        Console.WriteLine($"| Time to create all profiles, s | {Spread(r => r.Creates.Elapsed.TotalSeconds, "N1")} |");
        for (var i = 0; i < runs[0].Lists.Count; i++)
        {
            var index = i;
            var l = runs[0].Lists[i];
            Console.WriteLine($"| List {l.Name}, total {l.Total:N0}: median ms | {Spread(r => r.Lists[index].MedianMs, "N1")} |");
            Console.WriteLine($"| List {l.Name}: p95 ms | {Spread(r => r.Lists[index].P95Ms, "N1")} |");
            Console.WriteLine($"| List {l.Name}: server CPU ms per request | {Spread(r => r.Lists[index].ServerCpuMs, "N1")} |");
        }

        Console.WriteLine($"| Server peak working set (VmHWM), MiB | {Spread(r => r.PeakMiB)} |");
        Console.WriteLine($"| Server working set at end (VmRSS), MiB | {Spread(r => r.RssMiB)} |");
        Console.WriteLine($"| Failed requests | {runs.Sum(r => r.Failures)} |");
    }
}
