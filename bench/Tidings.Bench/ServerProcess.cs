using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tidings.Bench;

/// <summary>
/// A Tidings server started as a child process from the Release build, on a fresh SQLite file in a temporary folder
/// and a free port. Disposing it (also on Ctrl+C and process exit) kills the server and removes the folder.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    // After the first, the token itself (standard output is a terminal); after the second, the file holding it (here).
    private static readonly string[] TokenMarkers = ["access token (shown only now):", "readable only by this user"];
    private static readonly List<ServerProcess> Running = [];
    private static readonly PosixSignalRegistration[] Signals =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly TaskCompletionSource<string> _token = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _tokenLinePending;
    private int _disposed;

    private ServerProcess(Process process, DirectoryInfo folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public string Token { get; private set; } = "";

    /// <summary>The server's SQLite file, for admin verbs (<c>users create</c>) run against the same store.</summary>
    public string DatabasePath => Path.Combine(_folder.FullName, "tidings.db");

    /// <summary>Builds the server in Release (unless <paramref name="build"/> is false) and returns the path of Tidings.dll.</summary>
    public static string LocateServer(bool build)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tidings.slnx"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Cannot find the repository root (Tidings.slnx) above " + AppContext.BaseDirectory);
        var project = Path.Combine(root.FullName, "src", "Tidings", "Tidings.csproj");
        if (build)
        {
            Console.Error.WriteLine("Building the server in Release…");
            using var dotnet = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", project])
            {
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("Cannot start dotnet build");
            var output = dotnet.StandardOutput.ReadToEnd();
            dotnet.WaitForExit();
            if (dotnet.ExitCode != 0) throw new InvalidOperationException("dotnet build of the server failed:\n" + output);
        }

        var dll = Path.Combine(root.FullName, "src", "Tidings", "bin", "Release", "net10.0", "Tidings.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("No Release build of the server", dll);
    }

    public static async Task<ServerProcess> StartAsync(string serverDll, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("tidings-bench-");
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            // The build output folder is the content root, so the shipped appsettings.json (log levels) applies.
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { serverDll, "--urls", baseAddress.ToString().TrimEnd('/'), "--Storage:SqlitePath=" + Path.Combine(folder.FullName, "tidings.db") })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, folder, baseAddress);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[server] " + e.Data); };
        process.Exited += (_, _) => server._token.TrySetException(new InvalidOperationException("The server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running) Running.Add(server);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        server.Token = await server._token.Task.WaitAsync(timeout.Token);
        await server.WaitUntilReadyAsync(timeout.Token);
        return server;
    }

    /// <summary>Ctrl+C or a kill of the benchmark: stop the servers first, then let the signal end the benchmark.</summary>
    private static void OnSignal(PosixSignalContext context)
    {
        ServerProcess[] servers;
        lock (Running) servers = [.. Running];
        foreach (var server in servers) server.Dispose();
        GC.KeepAlive(Signals);
    }

    private void OnOutput(string? line)
    {
        if (line is null || _token.Task.IsCompleted) return;
        if (TokenMarkers.Any(m => line.Contains(m, StringComparison.Ordinal)))
        {
            _tokenLinePending = true;
        }
        else if (_tokenLinePending && !string.IsNullOrWhiteSpace(line) && !line.Trim().Contains(' ', StringComparison.Ordinal))
        {
            // The token (or its file) is one word; prose around the marker (a log line naming the file too) is skipped.
            var word = line.Trim();
            _token.TrySetResult(Path.IsPathRooted(word) && File.Exists(word) ? File.ReadAllText(word).Trim() : word);
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        while (true)
        {
            try
            {
                using var response = await client.GetAsync($"v3/identity?access_token={Token}", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>CPU time (user + system) the server has used so far: unlike throughput, hardly affected by other load on the machine.</summary>
    /// <summary>A client for this server: keep-alive connections, as many as <paramref name="concurrency"/>, no proxy, no automatic decompression.</summary>
    public HttpClient NewClient(int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Max(concurrency, 1),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
    })
    { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Peak (VmHWM) and current (VmRSS) resident memory of the server, in MiB, from /proc.</summary>
    public (double PeakMiB, double CurrentMiB) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        return (Kib(status, "VmHWM:") / 1024.0, Kib(status, "VmRSS:") / 1024.0);

        static long Kib(string[] lines, string key) =>
            long.Parse(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (Running) Running.Remove(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        try { _folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
