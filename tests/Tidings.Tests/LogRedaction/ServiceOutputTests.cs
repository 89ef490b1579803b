using System.Net;
using System.Text.Json;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Deployment;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogRedaction;

/// <summary>
/// What the server writes to standard output and standard error, which a service manager keeps (<c>journalctl</c>,
/// <c>docker logs</c>): run as deploy/tidings.service and deploy/Dockerfile run it (their environment, their working
/// directory's relative data folder, output not a terminal), through a first start, the secret-bearing requests of
/// <see cref="SecretTraffic"/> and a SIGTERM, it shows no token, password or secret. The first start's token goes to
/// a file only the server's user can read.
/// </summary>
public sealed class ServiceOutputTests : IDisposable
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it reads a real server process's output, not a store.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "service-output-" + Guid.NewGuid().ToString("N"));

    public ServiceOutputTests() => Directory.CreateDirectory(_directory);

    /// <summary>The environment the unit's <c>Environment=</c> lines give, and what systemd adds for a journal.</summary>
    private static Dictionary<string, string> UnitEnvironment()
    {
        var environment = DeployFiles.UnitSection(DeployFiles.Unit, "Service")["Environment"]
            .Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        environment["JOURNAL_STREAM"] = "8:12345";
        environment["INVOCATION_ID"] = Guid.NewGuid().ToString("N");
        return environment;
    }

    /// <summary>The final stage's <c>ENV</c>, and what the ASP.NET Core runtime image sets.</summary>
    private static Dictionary<string, string> ContainerEnvironment()
    {
        var environment = new Dictionary<string, string> { ["DOTNET_RUNNING_IN_CONTAINER"] = "true", ["ASPNETCORE_HTTP_PORTS"] = "8080", ["APP_UID"] = "1654" };
        foreach (var (name, value) in DeployFiles.Environment(DeployFiles.FinalStage(DeployFiles.Dockerfile))) environment[name] = value;
        return environment;
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("systemd", false)]
    [InlineData("container", false)]
    [InlineData("systemd", true)]
    [InlineData("container", true)]
    public async Task The_service_output_shows_no_token_password_or_secret(string manager, bool json)
    {
        var environment = manager == "systemd" ? UnitEnvironment() : ContainerEnvironment();
        if (json) environment["Logging__Console__FormatterName"] = "json";
        var database = Path.Combine(_directory, "data", "tidings.db");
        var secrets = new List<string>();
        IReadOnlyCollection<string> output;
        using (var server = await ServerProcess.StartAsync("data/tidings.db", environment: environment, workingDirectory: _directory, ct: Ct))
        {
            // The first start's token: in a file of the data folder, owner-only, its path in the output, never the token.
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            secrets.Add(token);
            var tokenFile = Path.Combine(_directory, "data", "first-access-token");
            (await File.ReadAllTextAsync(tokenFile, Ct)).Trim().ShouldBe(token);
            if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(tokenFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            server.Output.ShouldContain(l => l.Contains(tokenFile, StringComparison.Ordinal));

            // A dashboard admin made by the operator command beside the server, then every kind of secret over HTTP.
            const string adminEmail = "admin@example.com";
            var adminPassword = "admin password " + Guid.NewGuid().ToString("N");
            secrets.Add(adminPassword);
            var created = await CommandLine.RunWithInputAsync(database, adminPassword + "\n", "users", "create", "1", adminEmail, "--role", "admin", "--password-stdin");
            created.ExitCode.ShouldBe(0, created.Output);
            using var api = new HttpClient { BaseAddress = server.BaseAddress };
            var client = new ApiClient(api, token, 1);
            var browsers = new List<HttpClient>();
            DashboardBrowser Open()
            {
                var cookies = new CookieContainer();
                var http = new HttpClient(new CookieHandler(cookies) { InnerHandler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } }) { BaseAddress = server.BaseAddress };
                browsers.Add(http);
                return new DashboardBrowser(http, cookies);
            }

            secrets.AddRange(await SecretTraffic.RunAsync(client, Open, adminEmail, adminPassword, "1"));
            foreach (var browser in browsers) browser.Dispose();

            await server.StopAsync(TimeSpan.FromSeconds(60));
            server.ExitCode.ShouldBe(0);
            output = server.Output;
        }

        var text = string.Join('\n', output);
        output.ShouldContain(l => l.Contains("19402", StringComparison.Ordinal), "the output must run to the end of the stop:\n" + text);
        var leaks = output.SelectMany(l => secrets.Where(s => l.Contains(s, StringComparison.Ordinal)).Select(s => $"{s[..6]}…: {l}")).ToList();
        leaks.ShouldBeEmpty(string.Join("\n", leaks.Take(5)));

        if (json)
        {
            // One JSON object a line, each with its event id; Tidings' own entries with their feature's id. Only the
            // first start's banner (indented lines and blank lines) is plain text.
            output.Count(l => l.StartsWith('{')).ShouldBeGreaterThan(10, text);
            foreach (var line in output.Where(l => l.Trim().Length > 0 && !l.StartsWith("  ", StringComparison.Ordinal)))
            {
                using var entry = JsonDocument.Parse(line);
                entry.RootElement.TryGetProperty("EventId", out var id).ShouldBeTrue(line);
                if (entry.RootElement.GetProperty("Category").GetString()!.StartsWith("Tidings.", StringComparison.Ordinal)) id.GetInt32().ShouldBeGreaterThan(0, line);
            }
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
