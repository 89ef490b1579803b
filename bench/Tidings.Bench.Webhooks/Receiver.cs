using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// The webhook receiver: Kestrel on 127.0.0.1 that answers at once with an empty 200 (or a 500 to every
/// <see cref="FailEvery"/>-th call) and records in the current <see cref="Tally"/> which events arrived and when. An
/// event is recognised by its user agent (<see cref="Sequence"/>), which the load generator sets per open and the
/// payload carries; the same code reads the plain baseline's bodies, which are copies of a real delivery.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private WebApplication? _app;
    private Tally _tally = new(0, 0, 0);
    private long _calls;
    private Sample? _sample;

    private Receiver(int port) => Port = port;

    public int Port { get; }

    /// <summary>Answer 500 to every n-th call (0: never).</summary>
    public int FailEvery { get; set; }

    /// <summary>Answer 503 to every call (a receiver whose application is down behind its proxy).</summary>
    public bool Unavailable { get; set; }

    /// <summary>The first delivery seen with a sequence number: body and content type, the template of the baseline's bodies.</summary>
    public Sample? FirstSample => Volatile.Read(ref _sample);

    public static async Task<Receiver> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new Receiver(port);
        await receiver.StartListeningAsync();
        return receiver;
    }

    /// <summary>
    /// Counts from now on into a new tally for sequence numbers [first, first + count), whose steady state starts after
    /// <paramref name="warm"/> events (default: a tenth).
    /// </summary>
    public Tally Reset(int first, int count, int? warm = null)
    {
        var tally = new Tally(first, count, warm ?? count / 10);
        Volatile.Write(ref _tally, tally);
        Interlocked.Exchange(ref _calls, 0);
        return tally;
    }

    public async Task StartListeningAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening: connections are closed and new ones refused (a receiver that is down).</summary>
    public async Task StopListeningAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var length = (int)(http.Request.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var filled = 0;
            while (filled < length)
            {
                var read = await http.Request.Body.ReadAsync(buffer.AsMemory(filled, length - filled));
                if (read == 0) break;
                filled += read;
            }

            var now = Stopwatch.GetTimestamp();
            var unavailable = Unavailable;
            var fail = unavailable || (FailEvery > 0 && Interlocked.Increment(ref _calls) % FailEvery == 0);
            var body = buffer.AsSpan(0, filled);
            var sequence = Sequence.Find(body);
            Volatile.Read(ref _tally).Record(sequence, now, ok: !fail);
            if (sequence >= 0 && _sample is null)
            {
                Interlocked.CompareExchange(ref _sample, new Sample(body.ToArray(), http.Request.ContentType ?? "application/octet-stream"), null);
            }

            http.Response.StatusCode = unavailable ? 503 : fail ? 500 : 200;
            http.Response.ContentLength = 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync() => await StopListeningAsync();
}

/// <summary>A body as a receiver got it.</summary>
public sealed record Sample(byte[] Body, string ContentType);
