using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The real Tidings server as a child process (<c>dotnet Tidings.dll</c>) on a free local port and a given SQLite
/// file, for tests and benchmarks that must kill it or measure it from outside. Shared with the benchmarks, so it
/// depends on nothing test-specific.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    // The first start prints its token after the first marker when standard output is a terminal, and the path of a
    // file holding it after the second when it is not (as here: it is redirected).
    private static readonly string[] TokenMarkers = ["(shown only now):", "readable only by this user"];
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _token = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _tokenNext;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>The exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the server wrote so far, standard output and standard error.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>The access token the first start prints (null on later starts of the same database).</summary>
    public string? AccessToken => _token.Task.IsCompletedSuccessfully ? _token.Task.Result : null;

    private const string ServerEnvPrefix = "TIDINGS_SERVER_ENV_";

    /// <summary>Starts the server and waits until it answers HTTP.</summary>
    /// <param name="settings">Extra settings passed as <c>--Key=Value</c>.</param>
    /// <param name="environment">Extra environment variables of the server process (e.g. a proxy).</param>
    /// <param name="workingDirectory">Where it runs; by default the folder of Tidings.dll.</param>
    public static async Task<ServerProcess> StartAsync(string sqlitePath, IEnumerable<KeyValuePair<string, string>>? settings = null, TimeSpan? timeout = null, CancellationToken ct = default,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // Benchmarks compare builds: TIDINGS_BENCH_SERVER_DLL runs another build's Tidings.dll under the same harness.
        var dll = Environment.GetEnvironmentVariable("TIDINGS_BENCH_SERVER_DLL") is { Length: > 0 } other ? other : typeof(Program).Assembly.Location;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Storage:SqlitePath={sqlitePath}");
        foreach (var (key, value) in settings ?? []) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        // Runtime knobs for the server alone (benchmarks): TIDINGS_SERVER_ENV_X=1 reaches it as X=1.
        foreach (var (name, value) in start.Environment.Where(e => e.Key.StartsWith(ServerEnvPrefix, StringComparison.Ordinal)).ToList())
        {
            start.Environment[name[ServerEnvPrefix.Length..]] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) server._errorEnded.TrySetResult();
            else server._output.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(90), ct);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Waits for the token the first start prints.</summary>
    public Task<string> WaitForAccessTokenAsync(TimeSpan timeout) => _token.Task.WaitAsync(timeout);

    /// <summary>Waits until the server has written a line that matches.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_output.FirstOrDefault(match) is { } line) return line;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The server did not write the expected line; it wrote:\n" + string.Join('\n', _output));
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// SIGTERM, as a service manager stops it: the server shuts down in order and its loggers flush. Returns once it
    /// has exited and all it wrote has been read.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException("kill(SIGTERM) failed: " + Marshal.GetLastPInvokeError());

        await Task.WhenAll(_process.WaitForExitAsync(), _outputEnded.Task, _errorEnded.Task).WaitAsync(timeout);
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _outputEnded.TrySetResult();
            return;
        }

        _output.Enqueue(line);
        // The console logger writes from its own thread, so a log line ("info: …", "      Created account …") can land
        // between the marker and the token: the token (or its file) is the first later line that is one word without a colon.
        if (_tokenNext && line.Trim() is { Length: > 0 } word && !word.Contains(' ', StringComparison.Ordinal) && !word.Contains(':', StringComparison.Ordinal))
        {
            _tokenNext = false;
            _token.TrySetResult(Path.IsPathRooted(word) && File.Exists(word) ? File.ReadAllText(word).Trim() : word);
        }
        else if (TokenMarkers.Any(m => line.Contains(m, StringComparison.Ordinal)))
        {
            _tokenNext = true;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting:\n{string.Join('\n', _output)}");
            try
            {
                using var response = await http.GetAsync("t/o/ready.gif", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException("The server did not answer in time");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
