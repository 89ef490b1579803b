using System.Diagnostics;

namespace Tidings.Tests.Infrastructure;

/// <summary>Runs the real server executable with a command-line verb (accounts, tokens, keys) on a given SQLite file.</summary>
public static class CommandLine
{
    /// <summary>Runs it to its end; a run that does not end within <paramref name="timeout"/> (a server that started after all) is killed and fails.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string sqlitePath, IEnumerable<string> settings, params string[] args) =>
        await RunAsync(sqlitePath, settings, TimeSpan.FromMinutes(2), null, args);

    public static Task<(int ExitCode, string Output)> RunAsync(
        string sqlitePath, IEnumerable<string> settings, TimeSpan timeout, string? workingDirectory, params string[] args) =>
        RunWithInputAsync(sqlitePath, settings, timeout, workingDirectory, input: null, args);

    /// <summary>As <see cref="RunAsync(string, IEnumerable{string}, string[])"/>, with <paramref name="input"/> written to its standard input.</summary>
    public static Task<(int ExitCode, string Output)> RunWithInputAsync(string sqlitePath, string input, params string[] args) =>
        RunWithInputAsync(sqlitePath, [], TimeSpan.FromMinutes(2), null, input, args);

    private static async Task<(int ExitCode, string Output)> RunWithInputAsync(
        string sqlitePath, IEnumerable<string> settings, TimeSpan timeout, string? workingDirectory, string? input, params string[] args)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add($"--Storage:SqlitePath={sqlitePath}");
        foreach (var s in settings) start.ArgumentList.Add(s);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(bounded.Token);
            var error = process.StandardError.ReadToEndAsync(bounded.Token);
            await process.WaitForExitAsync(bounded.Token);
            return (process.ExitCode, await output + await error);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet Tidings.dll {string.Join(' ', args)} did not end within {timeout}");
        }
    }
}
