using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Tidings.Bench;

/// <summary>
/// Abusive clients, for the slow-clients test and benchmark: slowloris connections that send their headers a byte at
/// a time and never finish them (each reconnects once the server closes it, so the load stays for the whole run), and
/// log-file downloads that send their request and never read a byte (a receive window of a few KiB).
/// </summary>
public sealed class SlowClientLoad : IAsyncDisposable
{
    private static readonly byte[] SlowStart = Encoding.ASCII.GetBytes("GET /v3/identity HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _slowloris = [];
    private readonly ConcurrentQueue<TimeSpan> _firstLifetimes = new();
    private int _open;
    private int _closed;

    private SlowClientLoad(IPEndPoint server) => Server = server;

    public IPEndPoint Server { get; }

    /// <summary>Slowloris connections open now.</summary>
    public int SlowlorisOpen => Volatile.Read(ref _open);

    /// <summary>Slowloris connections the server has closed so far.</summary>
    public int SlowlorisClosed => Volatile.Read(ref _closed);

    /// <summary>How long each slot's first connection lived until the server closed it.</summary>
    public IReadOnlyCollection<TimeSpan> FirstLifetimes => _firstLifetimes;

    /// <summary>The downloads that never read.</summary>
    public IReadOnlyList<StalledDownload> Downloads { get; private set; } = [];

    /// <summary>Opens <paramref name="slowloris"/> trickling connections, then <paramref name="downloads"/> never-reading GETs of <paramref name="downloadTarget"/>.</summary>
    public static async Task<SlowClientLoad> StartAsync(Uri server, int slowloris, int downloads, string downloadTarget)
    {
        var load = new SlowClientLoad(new IPEndPoint(IPAddress.Parse(server.Host), server.Port));
        using var opening = new SemaphoreSlim(0);
        for (var i = 0; i < slowloris; i++) load._slowloris.Add(Task.Run(() => load.SlowlorisAsync(opening)));
        for (var i = 0; i < slowloris; i++) await opening.WaitAsync(TimeSpan.FromSeconds(30));
        var stalled = new List<StalledDownload>();
        for (var i = 0; i < downloads; i++) stalled.Add(await StalledDownload.StartAsync(load.Server, downloadTarget));
        load.Downloads = stalled;
        return load;
    }

    private async Task SlowlorisAsync(SemaphoreSlim opening)
    {
        var first = true;
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(Server, stop);
                await socket.SendAsync(SlowStart, stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                await Task.Delay(100, stop).ContinueWith(_ => { });
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                if (first) opening.Release();
            }

            Interlocked.Increment(ref _open);
            var started = Stopwatch.GetTimestamp();
            var closed = UntilClosedAsync(socket, stop);
            while (!closed.IsCompleted && !stop.IsCancellationRequested)
            {
                try { await socket.SendAsync("a"u8.ToArray(), stop); }
                catch (Exception) { break; }
                await Task.WhenAny(closed, Task.Delay(500, stop));
            }

            Interlocked.Decrement(ref _open);
            if (stop.IsCancellationRequested) break;
            await closed;
            Interlocked.Increment(ref _closed);
            if (first) _firstLifetimes.Enqueue(Stopwatch.GetElapsedTime(started));
            first = false;
        }
    }

    /// <summary>Reads (and drops) whatever comes until the server closes the connection.</summary>
    private static async Task UntilClosedAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, stop) > 0) { }
        }
        catch (Exception)
        {
            // Reset or stopped: closed either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_slowloris).ContinueWith(_ => { });
        foreach (var download in Downloads) download.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Raises this process's open-file limit (inherited by the servers it starts) to at least <paramref name="needed"/>,
    /// up to the hard limit; returns the error when even the hard limit is too low.
    /// </summary>
    public static string? EnsureOpenFiles(ulong needed)
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (GetRLimit(NoFile, out var limit) != 0) return "getrlimit(RLIMIT_NOFILE) failed: " + Marshal.GetLastPInvokeError();
        if (limit.Current >= needed) return null;
        if (limit.Maximum < needed) return $"The open-file limit is {limit.Current} (hard {limit.Maximum}); this load needs {needed}. Raise it (ulimit -n {needed}) and run again.";
        limit.Current = Math.Min(limit.Maximum, Math.Max(needed, 4096));
        return SetRLimit(NoFile, ref limit) == 0 ? null : "setrlimit(RLIMIT_NOFILE) failed: " + Marshal.GetLastPInvokeError();
    }

    private const int NoFile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);
}

/// <summary>A GET sent on a socket with a small receive window that reads nothing until <see cref="DrainAsync"/>.</summary>
public sealed class StalledDownload : IDisposable
{
    private readonly Socket _socket;

    private StalledDownload(Socket socket) => _socket = socket;

    public static async Task<StalledDownload> StartAsync(IPEndPoint server, string target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        return new StalledDownload(socket);
    }

    /// <summary>
    /// Reads what the server had sent until it closes the connection; the bytes read, and whether it closed within
    /// <paramref name="timeout"/> (a download still being served is not).
    /// </summary>
    public async Task<(long Bytes, bool Closed)> DrainAsync(TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        var buffer = new byte[65536];
        long total = 0;
        try
        {
            int read;
            while ((read = await _socket.ReceiveAsync(buffer, bound.Token)) > 0) total += read;
            return (total, true);
        }
        catch (OperationCanceledException)
        {
            return (total, false);
        }
        catch (SocketException)
        {
            return (total, true);
        }
    }

    public void Dispose() => _socket.Dispose();
}
