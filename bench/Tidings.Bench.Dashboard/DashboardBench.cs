using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tidings.Bench;

/// <summary>One measured page: render times (request sent to last byte read) and the server's CPU time per request.</summary>
public sealed record PageResult(string Name, string Path, double MedianMs, double P95Ms, double ServerCpuMs, long Failed);

public sealed record DashboardRun(TimeSpan Setup, TimeSpan Creates, IReadOnlyList<PageResult> Pages, long Failures);

/// <summary>
/// Starts the Release server on a fresh SQLite file, fills the account (a database of N profiles through REST, W
/// webhooks, a dashboard user made with the server's own <c>users create … --password-stdin</c>), signs in as a
/// browser does (antiforgery token from the form, cookies), then times dashboard pages one request at a time.
/// </summary>
public static partial class DashboardBench
{
    private const string Password = "bench password of some length";
    private static readonly string[] Cities = ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen"];
    private static readonly string[] FirstNames = ["Anna", "Bram", "Chantal", "Daan", "Emma", "Finn", "Guus", "Hanna", "Iris", "Jesse"];
    private static readonly string[] LastNames = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"];

    public static async Task<DashboardRun> RunAsync(string serverDll, DashboardBenchOptions o)
    {
        var setup = Stopwatch.StartNew();
        using var server = await ServerProcess.StartAsync(serverDll, CancellationToken.None);
        using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32, UseProxy = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var token = server.Token;
        string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + token;

        using var identity = JsonDocument.Parse(await api.GetStringAsync(Url("v3/identity")));
        var accountId = identity.RootElement.EnumerateObject().First(p => p.Name.Equals("id", StringComparison.OrdinalIgnoreCase)).Value.ToString();
        var database = await RestCreate.PostAsync(api, Url("v3/databases"), """{"name":"Customers"}""");
        foreach (var field in new[]
        {
            """{"name":"email","type":"email","index":true,"displayed":true}""", """{"name":"firstname","type":"text","displayed":true}""",
            """{"name":"lastname","type":"text","displayed":true}""", """{"name":"city","type":"text","index":true,"displayed":true}""",
            """{"name":"age","type":"integer","displayed":true}""",
        })
        {
            await RestCreate.PostAsync(api, Url($"v3/database/{database}/fields"), field);
        }

        // Profiles as the profiles benchmark creates them: REST, 32 clients, each committed and journalled before its 201.
        Console.Error.WriteLine($"  creating {o.Profiles:N0} profiles…");
        var creates = Stopwatch.StartNew();
        var profiles = Url($"v3/database/{database}/profiles");
        var made = await Load.CountAsync(32, o.Profiles, async n =>
        {
            using var content = new StringContent(ProfileBody((int)n), Encoding.UTF8, "application/json");
            using var response = await api.PostAsync(profiles, content);
            return response.StatusCode == HttpStatusCode.Created;
        });
        creates.Stop();
        long failures = made.Failed;

        // Webhooks: handlers under a domain the account has not validated, so nothing is called during the measurement;
        // the list still reads each one's state, delivery status, newest attempt, retries and scope as it would.
        for (var i = 0; i < o.Webhooks; i++)
        {
            var scope = i % 5 == 0 ? $""","database":{database}""" : "";
            await RestCreate.PostAsync(api, Url("v3/webhooks"), $$"""{"handler":"https://hooks.example.com/bench/{{i}}","trigger":"{{(i % 2 == 0 ? "create" : "update")}}"{{scope}}}""");
        }

        await CreateUserAsync(serverDll, server.DatabasePath, accountId);
        setup.Stop();
        Console.Error.WriteLine($"  setup {setup.Elapsed.TotalSeconds:N1} s (profiles {creates.Elapsed.TotalSeconds:N1} s)");

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2),
        };
        await SignInAsync(browser);

        var pages = new List<PageResult>
        {
            await MeasureAsync(server, browser, o, "GET /dashboard/webhooks", _ => "dashboard/webhooks", $"{o.Webhooks:N0} webhooks"),
            await MeasureAsync(server, browser, o, "profile search email==X (indexed, 1 match)",
                i => $"dashboard/databases/{database}/profiles?fields%5B%5D={Uri.EscapeDataString($"email==user{(i * 7919) % o.Profiles}@example.org")}", "1 profile found"),
            await MeasureAsync(server, browser, o, "profile search age>60 (unindexed, scans, ~38%)",
                _ => $"dashboard/databases/{database}/profiles?fields%5B%5D=age%3E60", "profiles found"),
        };
        return new DashboardRun(setup.Elapsed, creates.Elapsed, pages, failures + pages.Sum(p => p.Failed));
    }

    /// <summary>The server's own admin verb, as an operator makes a dashboard user: <c>users create … --password-stdin</c>.</summary>
    private static async Task CreateUserAsync(string serverDll, string databasePath, string accountId)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { serverDll, "users", "create", accountId, "bench@example.com", "--role", "read-only", "--password-stdin", "--Storage:SqlitePath=" + databasePath })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start dotnet");
        await process.StandardInput.WriteLineAsync(Password);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("users create failed: " + output);
    }

    /// <summary>Signs in as a browser does: the form's antiforgery token and cookie, then the post, answered with a redirect.</summary>
    private static async Task SignInAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("dashboard/signin");
        var antiforgery = AntiforgeryInput().Match(form);
        if (!antiforgery.Success) throw new InvalidOperationException("No antiforgery token on the sign-in page");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "bench@example.com", ["password"] = Password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups[1].Value),
        });
        using var response = await browser.PostAsync("dashboard/signin", body);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    /// <summary>Warm-up requests, then <c>Requests</c> timed ones one at a time, the server's CPU time read around them.</summary>
    private static async Task<PageResult> MeasureAsync(ServerProcess server, HttpClient browser, DashboardBenchOptions o, string name, Func<int, string> path, string expected)
    {
        Console.Error.WriteLine($"  {name}: {o.Warmup} warm-up and {o.Requests} measured requests…");
        var timings = new List<double>(o.Requests);
        long failed = 0;
        var cpu = TimeSpan.Zero;
        for (var i = -o.Warmup; i < o.Requests; i++)
        {
            if (i == 0) cpu = server.CpuTime();
            var started = Stopwatch.GetTimestamp();
            using var response = await browser.GetAsync(path(i + o.Warmup));
            var html = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 0) timings.Add(ms);
            if (response.StatusCode != HttpStatusCode.OK || !html.Contains(expected, StringComparison.Ordinal))
            {
                failed++;
                Console.Error.WriteLine($"  unexpected answer for {name}: {(int)response.StatusCode}, no '{expected}'");
            }
        }

        var cpuMs = (server.CpuTime() - cpu).TotalMilliseconds / o.Requests;
        return new PageResult(name, path(0), Stats.Median(timings), Stats.Percentile(timings, 95), cpuMs, failed);
    }

    private static string ProfileBody(int i)
    {
        var random = new Random(i);
        return JsonSerializer.Serialize(new
        {
            fields = new Dictionary<string, object>
            {
                ["email"] = $"user{i}@example.org",
                ["firstname"] = FirstNames[random.Next(FirstNames.Length)],
                ["lastname"] = LastNames[random.Next(LastNames.Length)],
                ["city"] = Cities[random.Next(Cities.Length)],
                ["age"] = random.Next(18, 88),
            },
        });
    }

    public static void PrintReport(DashboardBenchOptions o, IReadOnlyList<DashboardRun> runs)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        string Spread(Func<DashboardRun, double> pick, string format = "N1") =>
            runs.Count == 1 ? F(pick(runs[0]), format) : $"{F(Stats.Median(runs.Select(pick)), format)} ({F(runs.Min(pick), format)}–{F(runs.Max(pick), format)})";

        Console.WriteLine();
        Console.WriteLine(MachineFacts.Line());
        Console.WriteLine($"Profiles {o.Profiles:N0}, webhooks {o.Webhooks:N0}, {o.Warmup} warm-up + {o.Requests} measured requests per page, one at a time, {runs.Count} run(s): median (min–max over runs)");
        Console.WriteLine();
        Console.WriteLine("| Measurement | Result | Target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| Setup (server start, profiles, webhooks, user), s | {Spread(r => r.Setup.TotalSeconds)} | |");
        Console.WriteLine($"| Creating the profiles through REST, s | {Spread(r => r.Creates.TotalSeconds)} | |");
        for (var i = 0; i < runs[0].Pages.Count; i++)
        {
            var index = i;
            var name = runs[0].Pages[i].Name;
            Console.WriteLine($"| **{name}**: p50 ms | **{Spread(r => r.Pages[index].MedianMs)}** | < 50 ms |");
            Console.WriteLine($"| {name}: p95 ms | {Spread(r => r.Pages[index].P95Ms)} | |");
            Console.WriteLine($"| {name}: server CPU ms per page | {Spread(r => r.Pages[index].ServerCpuMs)} | |");
        }

        Console.WriteLine($"| Failed requests | {runs.Sum(r => r.Failures)} | |");
    }
}
