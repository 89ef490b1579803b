using System.Diagnostics;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// A child process whose standard output and error are gathered in a <see cref="WatchedOutput"/>, that can be sent a
/// signal (SIGINT as Ctrl+C does, SIGTERM as systemd or docker stop do) and is killed when disposed if still running.
/// </summary>
public sealed class BackgroundProcess : IDisposable
{
    public const string SigInt = "INT";
    public const string SigTerm = "TERM";

    private readonly Process _process;

    private BackgroundProcess(Process process) => _process = process;

    public WatchedOutput Output { get; } = new();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static BackgroundProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var background = new BackgroundProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) background.Output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) background.Output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>The Tidings executable (<c>dotnet Tidings.dll</c>) with these arguments.</summary>
    public static ProcessStartInfo Tidings(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)! };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return start;
    }

    /// <summary>Sends a signal by name (<see cref="SigInt"/>, <see cref="SigTerm"/>) with <c>kill -s</c>.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -s {signal} {_process.Id} failed with exit code {kill.ExitCode}");
    }

    /// <summary>Waits for the process to end (and its output to be read); its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The process did not end within {timeout.TotalSeconds:0} s. Its output:\n{Output.Text}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
