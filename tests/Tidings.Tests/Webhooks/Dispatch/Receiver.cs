using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>One webhook call as the receiver saw it.</summary>
public sealed record ReceivedCall(int Number, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus, DateTimeOffset At)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The body as JSON (JSON webhooks and batches).</summary>
    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary>The form body's fields, bracketed keys kept as they are (a repeated key, e.g. <c>tags[]</c>: its first value).</summary>
    public Dictionary<string, string> Form => FormPairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>Every value of a form key, in order (lists are sent as <c>key[]=a&amp;key[]=b</c>).</summary>
    public IReadOnlyList<string> FormValues(string key) => FormPairs.Where(p => p.Key == key).Select(p => p.Value).ToList();

    private IEnumerable<KeyValuePair<string, string>> FormPairs =>
        Text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0].Replace('+', ' ')), p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""));
}

/// <summary>
/// A webhook receiver on 127.0.0.1 that records every call and answers as <see cref="Answer"/> says (by call number),
/// 200 by default. It can also stall (slow receiver) or reset the connection.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private StubServer _server = null!;
    private int _count;

    /// <summary>Status to answer for call number n (1-based); negative: reset the connection; 0: never answer.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    /// <summary>Whether call number n is answered 200 with the first bytes of a body that then never ends.</summary>
    public Func<int, bool> StallBody { get; set; } = _ => false;

    /// <summary>Headers to add to an answer for call number n.</summary>
    public Func<int, IReadOnlyDictionary<string, string>> AnswerHeaders { get; set; } = _ => new Dictionary<string, string>();

    public Uri Url => Localhost.Of(_server.Url);

    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    /// <param name="port">0: any free port; a port: come up where a webhook already points (a receiver back online).</param>
    public static async Task<Receiver> StartAsync(int port = 0)
    {
        var receiver = new Receiver();
        receiver._server = await StubServer.StartAsync(receiver.HandleAsync, port);
        return receiver;
    }

    /// <summary>A port nothing listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var number = Interlocked.Increment(ref _count);
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = Answer(number);
        _calls.Enqueue(new ReceivedCall(number, http.Request.Method, http.Request.Path + http.Request.QueryString, headers, buffer.ToArray(), status, DateTimeOffset.UtcNow));
        if (status < 0)
        {
            http.Abort();
            return;
        }

        if (status == 0)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (StallBody(number))
        {
            http.Response.StatusCode = 200;
            await http.Response.WriteAsync("ok", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        foreach (var (name, value) in AnswerHeaders(number)) http.Response.Headers[name] = value;
        http.Response.StatusCode = status;
        await http.Response.WriteAsync(status is >= 200 and < 300 ? "ok" : "no", http.RequestAborted);
    }

    /// <summary>Waits until <paramref name="done"/> holds for the calls received so far.</summary>
    public async Task<IReadOnlyList<ReceivedCall>> WaitAsync(Func<IReadOnlyList<ReceivedCall>, bool> done, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var calls = Calls;
            if (done(calls)) return calls;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The receiver got {calls.Count} calls; the condition was not met in {seconds} s. Calls: " + string.Join(" | ", calls.Select(c => $"#{c.Number} {c.AnsweredStatus} {c.Header("webhook-id")}")));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The distinct webhook-ids of calls answered 2xx.</summary>
    public IReadOnlySet<string> DeliveredIds => Calls.Where(c => c.AnsweredStatus is >= 200 and < 300).Select(c => c.Header("webhook-id")!).ToHashSet();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
