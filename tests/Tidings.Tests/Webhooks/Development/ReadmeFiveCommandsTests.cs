using System.Diagnostics;
using System.Text.RegularExpressions;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Development;

/// <summary>
/// Runs the README's "five commands" exactly as written there (read from README.md, so the test fails when they
/// drift), against real processes: the server, the receiver, and curl. Only what cannot be the same on a test machine
/// is adapted: <c>dotnet run --project src/Tidings --</c> becomes the built server (<c>dotnet Tidings.dll</c>) on a
/// fresh SQLite file, and the ports 5080 and 9000 become free ones. The token comes from <c>accounts create</c>.
/// </summary>
public sealed partial class ReadmeFiveCommandsTests : IDisposable
{
    private const string Heading = "## A webhook to this machine, in five commands";
    private const string RunPrefix = "dotnet run --project src/Tidings -- ";
    private const string ReadmeServer = "http://127.0.0.1:5080";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
    private readonly List<BackgroundProcess> _processes = [];

    [Fact]
    public async Task The_five_commands_show_a_validated_webhook_call_with_both_signatures_ok()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "The README's server runs on its own SQLite file: the SQLite pass covers it.");
        RequireTool("sh");
        RequireTool("curl");
        var commands = ReadmeCommands();
        commands.Count.ShouldBe(5, "The README section \"" + Heading + "\" should hold five commands:\n" + string.Join('\n', commands));

        Directory.CreateDirectory(_directory);
        var database = Path.Combine(_directory, "tidings.db");
        var (exit, created) = await CommandLine.RunAsync(database, [], "accounts", "create", "Readme");
        exit.ShouldBe(0, created);
        var token = created.Trim().Split('\n')[^1].Trim();
        var server = $"http://127.0.0.1:{Dispatch.Receiver.FreePort()}";
        var receiverPort = Dispatch.Receiver.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var readmePort = ReceivePort().Match(commands[1]) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("The second command should be `receive <port>`: " + commands[1]);

        string Adapt(string command)
        {
            command = command.Replace(ReadmeServer, server, StringComparison.Ordinal)
                .Replace("receive " + readmePort, "receive " + receiverPort, StringComparison.Ordinal)
                .Replace("localhost:" + readmePort, "localhost:" + receiverPort, StringComparison.Ordinal);
            if (!command.StartsWith(RunPrefix, StringComparison.Ordinal)) return command;
            return $"exec dotnet '{typeof(Program).Assembly.Location}' {command[RunPrefix.Length..]} '--Storage:SqlitePath={database}' '--Urls={server}'";
        }

        // 1. The server, with the development setting, which it warns about.
        var serverProcess = Start(Adapt(commands[0]), token);
        await WaitUntilAnsweringAsync(server, serverProcess);
        await serverProcess.Output.WaitForAsync("Webhooks:Development:AllowLoopback is on: for development only.", Bound);

        // 2. The receiver.
        var receiver = Start(Adapt(commands[1]), token);
        await receiver.Output.WaitForAsync($"Receiving webhooks on http://127.0.0.1:{receiverPort}/", Bound);

        // 3. The webhook, 4. the claim validated through the receiver's file, 5. Check now.
        (await RunAsync(Adapt(commands[2]), token)).ShouldBe("");
        (await RunAsync(Adapt(commands[3]), token)).ShouldContain("\"validated\":true");
        (await RunAsync(Adapt(commands[4]), token)).ShouldContain("\"success\":true");

        var printed = await receiver.Output.WaitForAsync(t => t.Contains("standard webhooks: signature", StringComparison.Ordinal), "the test call", Bound);
        printed.ShouldContain("GET /tidings-verification-");
        printed.ShouldContain("POST /hook → 200, webhook 1 of account 1");
        printed.ShouldContain("    copernica: signature ok (keyId ");
        printed.ShouldContain("    standard webhooks: signature ok (v1, webhook 1)");
        printed.ShouldNotContain("INVALID");

        // SIGTERM (docker stop, systemd) ends the receiver cleanly, as Ctrl+C does.
        receiver.Signal(BackgroundProcess.SigTerm);
        (await receiver.WaitForExitAsync(Bound)).ShouldBe(0, receiver.Output.Text);
        receiver.Output.Text.ShouldEndWith("Receiver stopped.\n");
    }

    /// <summary>The command lines of the README section's first <c>sh</c> block (comments and empty lines left out).</summary>
    private static List<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(FindReadme());
        var at = readme.IndexOf(Heading, StringComparison.Ordinal);
        at.ShouldBeGreaterThanOrEqualTo(0, $"README.md has no section \"{Heading}\"");
        var start = readme.IndexOf("```sh\n", at, StringComparison.Ordinal) + "```sh\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end].Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Tidings.slnx"))) return candidate;
        }

        throw new FileNotFoundException("README.md of the repository was not found above " + AppContext.BaseDirectory);
    }

    private BackgroundProcess Start(string command, string token)
    {
        var process = BackgroundProcess.Start(Shell(command, token));
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs a command to its end; its output (standard output only: curl's progress goes to standard error).</summary>
    private async Task<string> RunAsync(string command, string token)
    {
        var start = Shell(command, token);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Bound);
        await process.WaitForExitAsync(limit.Token);
        process.ExitCode.ShouldBe(0, $"{command}\n{await output}\n{await error}");
        return await output;
    }

    private ProcessStartInfo Shell(string command, string token)
    {
        var start = new ProcessStartInfo("sh") { WorkingDirectory = _directory, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["T"] = token;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return start;
    }

    private static async Task WaitUntilAnsweringAsync(string server, BackgroundProcess process)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException("The server ended while starting:\n" + process.Output.Text);
            try
            {
                using var response = await http.GetAsync(server + "/t/o/ready.gif", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }

            if (clock.Elapsed > Bound) throw new TimeoutException("The server did not answer in time:\n" + process.Output.Text);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A program the test needs: a skip on a developer's machine without it, a failure in CI.</summary>
    internal static void RequireTool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, name)));
        if (found) return;
        if (TestDatabases.InCi) Assert.Fail($"CI must run this test, but `{name}` is not installed.");
        Assert.Skip($"Skipped outside CI: `{name}` is not installed.");
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"\breceive (\d+)")]
    private static partial Regex ReceivePort();
}
