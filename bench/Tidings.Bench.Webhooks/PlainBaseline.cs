using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Tidings.Bench.Webhooks;

/// <summary>One body with its Standard Webhooks headers, signed before the clock starts.</summary>
public sealed record SignedBody(byte[] Body, string Id, string Timestamp, string Signature);

/// <summary>
/// The HTTP limit: a plain <see cref="HttpClient"/> POSTing pre-signed copies of a real delivery's body (each with its
/// own event number) at the webhook's concurrency to the same receiver. No journal, no signing on the clock, no
/// bookkeeping: what the engine's deliveries are compared with. Run from a process of its own (see
/// <see cref="PlainClientProcess"/>) and from the receiver's process.
/// </summary>
public static class PlainBaseline
{
    /// <summary>Copies of <paramref name="template"/> numbered [first, first + count), each with a v1 signature.</summary>
    public static List<SignedBody> Prepare(Sample template, int first, int count)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var hmac = new HMACSHA256(secret);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bodies = new List<SignedBody>(count);
        for (var i = 0; i < count; i++)
        {
            if (!Sequence.TryWrite(template.Body, first + i, out var body)) throw new InvalidOperationException("the template body holds no event number");
            var id = "evt_bench_" + (first + i).ToString("D8", CultureInfo.InvariantCulture);
            var signed = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
            bodies.Add(new SignedBody(body, id, timestamp, "v1," + Convert.ToBase64String(hmac.ComputeHash(signed))));
        }

        return bodies;
    }

    public static async Task RunAsync(Uri url, IReadOnlyList<SignedBody> bodies, string contentType, int concurrency)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false, UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var type = MediaTypeHeaderValue.Parse(contentType);
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < bodies.Count; i = Interlocked.Increment(ref next))
            {
                var b = bodies[i];
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(b.Body) };
                request.Content.Headers.ContentType = type;
                request.Headers.TryAddWithoutValidation("User-Agent", "Tidings-Webhooks/1.0");
                request.Headers.TryAddWithoutValidation("webhook-id", b.Id);
                request.Headers.TryAddWithoutValidation("webhook-timestamp", b.Timestamp);
                request.Headers.TryAddWithoutValidation("webhook-signature", b.Signature);
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        })));
        if (failures > 0) throw new InvalidOperationException($"{failures} baseline calls failed");
    }
}
