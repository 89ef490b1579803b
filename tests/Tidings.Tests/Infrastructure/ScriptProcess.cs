using System.ComponentModel;
using System.Diagnostics;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// Runs an external program (php, node, an npm tool) to its end, with optional text on its standard input, and
/// returns its exit code with its standard output followed by its standard error.
/// </summary>
public static class ScriptProcess
{
    /// <summary>Whether an executable <paramref name="program"/> is in one of the PATH's folders.</summary>
    public static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <param name="cannotStart">
    /// Called with the operating system's reason when <paramref name="program"/> cannot be started (not installed); it
    /// should skip or fail the test. Should it return, the start error is rethrown.
    /// </param>
    /// <param name="timeout">A run still going after this is killed and cancelled; without it only the test's cancellation ends it.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        string? standardInput,
        Action<string> cannotStart,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            cannotStart(ex.Message);
            throw;
        }

        using (process)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            if (timeout is { } limit) bounded.CancelAfter(limit);
            try
            {
                // Read while writing, so a program that answers before it has read all its input cannot block on a full pipe.
                var output = process.StandardOutput.ReadToEndAsync(bounded.Token);
                var error = process.StandardError.ReadToEndAsync(bounded.Token);
                if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput.AsMemory(), bounded.Token);
                process.StandardInput.Close();
                await process.WaitForExitAsync(bounded.Token);
                return (process.ExitCode, await output + await error);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }
}
