using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// Sends opens through the pixel: event number n goes out with User-Agent <see cref="Sequence.UserAgent"/>(n), over
/// keep-alive connections with one request in flight each (a minimal HTTP/1.1 client on raw sockets, so the client,
/// which shares the cores, costs little). At full speed, or paced at a steady rate (request i due at start + i/rate).
/// A request that does not get its 200 is sent again, so every number ends up journaled.
/// </summary>
public static class OpenDriver
{
    /// <param name="acceptedAt">When each open got its 200 (Stopwatch ticks), indexed from <paramref name="first"/>; optional.</param>
    public static async Task<(double Seconds, long Retried)> RunAsync(
        Uri server, IReadOnlyList<string> paths, int first, int count, int connections, double? perSecond, long[]? acceptedAt)
    {
        var next = -1;
        long retried = 0;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[4096];
            Socket? socket = null;
            try
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    if (perSecond is { } rate)
                    {
                        var due = start + (long)(i / rate * Stopwatch.Frequency);
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                        if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                    }

                    var request = Encoding.ASCII.GetBytes(
                        $"GET {paths[i % paths.Count]} HTTP/1.1\r\nHost: {server.Authority}\r\nUser-Agent: {Sequence.UserAgent(first + i)}\r\nAccept: image/*\r\n\r\n");
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            if (socket is null)
                            {
                                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                                await socket.ConnectAsync(server.Host, server.Port);
                            }

                            await socket.SendAsync(request);
                            if (await RawHttp.ReadStatusAsync(socket, buffer) == 200)
                            {
                                if (acceptedAt is not null) acceptedAt[i] = Stopwatch.GetTimestamp();
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is SocketException or IOException)
                        {
                            socket?.Dispose();
                            socket = null;
                        }

                        if (attempt >= 20) throw new InvalidOperationException($"open {first + i} was not accepted after {attempt + 1} tries");
                        Interlocked.Increment(ref retried);
                        await Task.Delay(50);
                    }
                }
            }
            finally
            {
                socket?.Dispose();
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, retried);
    }
}
