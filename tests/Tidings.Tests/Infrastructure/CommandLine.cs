using System.Diagnostics;

namespace Tidings.Tests.Infrastructure;

/// <summary>Runs the real server executable with a command-line verb (accounts, tokens, keys) on a given SQLite file.</summary>
public static class CommandLine
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string sqlitePath, IEnumerable<string> settings, params string[] args)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add($"--Storage:SqlitePath={sqlitePath}");
        foreach (var s in settings) start.ArgumentList.Add(s);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output + error);
    }
}
