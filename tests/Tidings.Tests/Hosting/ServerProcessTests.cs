using Tidings.Tests.Infrastructure;
using Tidings.Tests.LogRedaction;

namespace Tidings.Tests.Hosting;

/// <summary>
/// The server as operators run it: a real process with its standard output redirected (as under a service manager or
/// in a container), started from the folder of its choice.
/// </summary>
public sealed class ServerProcessTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-process-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ApplicationFolder => Path.GetDirectoryName(typeof(Program).Assembly.Location)!;

    [Fact]
    public async Task With_redirected_output_the_first_token_goes_to_an_owner_only_file_whose_path_is_printed_with_the_real_address()
    {
        var database = Path.Combine(_directory, "data", "tidings.db");
        using var server = await ServerProcess.StartAsync(database, ct: Ct);
        var token = await server.WaitForAccessTokenAsync(Bound);
        var file = Path.Combine(_directory, "data", "first-access-token");

        File.ReadAllText(file).Trim().ShouldBe(token);
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var identity = server.BaseAddress + "v3/identity?access_token=";
        await server.WaitForOutputAsync(l => l.Contains($"Try: curl \"{identity}$(cat '{file}')\"", StringComparison.Ordinal), Bound);
        server.Output.ShouldContain(l => l.Trim() == file);
        server.Output.ShouldNotContain(l => l.Contains(token, StringComparison.Ordinal));

        using var http = new HttpClient();
        (await http.GetAsync(identity + token, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_folder_refuses_to_start_while_the_verbs_keep_working_beside_the_first()
    {
        var database = Path.Combine(_directory, "data", "tidings.db");
        var folder = Path.Combine(_directory, "data");
        using (var first = await ServerProcess.StartAsync(database, ct: Ct))
        {
            await first.WaitForAccessTokenAsync(Bound);

            var second = await CommandLine.RunAsync(database, [], Bound, null, "--urls", "http://127.0.0.1:0");
            second.ExitCode.ShouldBe(1, second.Output);
            second.Output.Trim().ShouldBe(
                $"Another Tidings server is already running on the data folder {folder} (it holds {Path.Combine(folder, "server.lock")}). " +
                "Stop it first, or give this server its own Storage:SqlitePath. Command-line verbs may run beside it.");

            foreach (var verb in new[] { new[] { "accounts", "create", "Beside" }, ["tokens", "create", "1", "--read-only"], ["accounts", "list"], ["secrets", "status"], ["keys", "list"] })
            {
                var result = await CommandLine.RunAsync(database, [], Bound, null, verb);
                result.ExitCode.ShouldBe(0, string.Join(' ', verb) + ": " + result.Output);
            }

            (await CommandLine.RunAsync(database, [], Bound, null, "accounts", "list")).Output.ShouldContain("Beside");
            first.Kill();
        }

        // A crash leaves nothing behind that stops the next start.
        using var next = await ServerProcess.StartAsync(database, ct: Ct);

        // It names the process that holds it. Read with cat: .NET opening it, even to read, asks for a lock the holder refuses.
        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [Path.Combine(folder, "server.lock")]) { RedirectStandardOutput = true })!;
        (await cat.StandardOutput.ReadToEndAsync(Ct)).Trim().ShouldBe(next.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Started_from_another_folder_it_applies_its_own_appsettings_and_keeps_relative_data_paths_in_the_working_directory()
    {
        var work = Path.Combine(_directory, "elsewhere");
        Directory.CreateDirectory(work);
        using var server = await ServerProcess.StartAsync("data/tidings.db", ct: Ct, workingDirectory: work);
        var token = await server.WaitForAccessTokenAsync(Bound);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        (await http.GetAsync($"v3/identity?access_token={token}", Ct)).EnsureSuccessStatusCode();
        await server.StopAsync(Bound);

        server.Output.ShouldContain(l => l.Trim() == "Content root path: " + ApplicationFolder + Path.DirectorySeparatorChar);
        File.Exists(Path.Combine(work, "data", "tidings.db")).ShouldBeTrue();
        File.Exists(Path.Combine(work, "data", "master.key")).ShouldBeTrue();
        File.Exists(Path.Combine(work, "data", "first-access-token")).ShouldBeTrue();

        // appsettings.json keeps ASP.NET Core at Warning: without it, every request would be logged with its query string.
        server.Output.ShouldNotContain(l => l.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Started_from_another_folder_at_trace_level_no_line_it_writes_shows_an_access_token()
    {
        var work = Path.Combine(_directory, "elsewhere");
        Directory.CreateDirectory(work);
        KeyValuePair<string, string>[] trace =
        [
            new("Logging:LogLevel:Default", "Trace"), new("Logging:LogLevel:Microsoft", "Trace"),
            new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"), new("Logging:LogLevel:System", "Trace"),
        ];
        using var server = await ServerProcess.StartAsync("data/tidings.db", trace, ct: Ct, workingDirectory: work);
        var token = await server.WaitForAccessTokenAsync(Bound);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await CredentialTraffic.RunRestFlowAsync(new ApiClient(http, token, 1));
        await CredentialTraffic.SendRefusedRequestsAsync(server.BaseAddress, token);
        await server.StopAsync(Bound);

        server.Output.ShouldContain(l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("access_token=***", StringComparison.Ordinal));
        server.Output.ShouldContain(l => l.Contains("Invalid request line", StringComparison.Ordinal) && l.Contains("access_token=***", StringComparison.Ordinal));
        var leaks = server.Output.Where(l => l.Contains(token, StringComparison.OrdinalIgnoreCase) || l.Contains(CredentialTraffic.WrongToken, StringComparison.OrdinalIgnoreCase)).ToList();
        leaks.ShouldBeEmpty(string.Join('\n', leaks.Take(5)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
