using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tidings.Bench.Webhooks;

/// <summary>The REST calls that prepare a run: a mailing with destinations, and the webhooks.</summary>
public sealed class BenchSetup(Uri server, string token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };

    private string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + token;

    public async Task<long> CreateAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(Url(path), body);
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return long.Parse(response.Headers.GetValues("X-Created").Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>A database with <paramref name="count"/> profiles and a mailing to it; returns each destination's pixel path.</summary>
    public async Task<List<string>> MailingAsync(int count)
    {
        var database = await CreateAsync("/v3/databases", new { name = "Bench" });
        await CreateAsync($"/v3/database/{database}/fields", new { name = "email", type = "email" });
        await CreateAsync($"/v3/database/{database}/fields", new { name = "firstname", type = "text" });
        await CreateAsync($"/v3/database/{database}/interests", new { name = "news" });
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await CreateAsync($"/v3/database/{database}/profiles", new { fields = new { email = $"reader{i}@example.com", firstname = $"Reader{i}" }, interests = new[] { "news" } });
            }
        }));
        var mailing = await CreateAsync("/v3/ms/emailing", new
        {
            target = database, targettype = "database", template = 1, subject = "Bench", senderdomain = "mail.example",
            from_address = new { name = "Bench", email = "bench@example.com" }, tags = new[] { "bench" }, links = new[] { "https://example.com/" },
        });
        for (var attempt = 0; ; attempt++)
        {
            var state = await _http.GetFromJsonAsync<JsonNode>(Url($"/v3/ms/emailing/{mailing}"));
            if (state!["status"]!.GetValue<string>() == "sent") break;
            if (attempt > 1200) throw new TimeoutException("mailing not prepared");
            await Task.Delay(100);
        }

        var paths = new List<string>(count);
        for (var start = 0; start < count; start += 1000)
        {
            var page = await _http.GetFromJsonAsync<JsonNode>(Url($"/v3/ms/emailing/{mailing}/destinations?start={start}&limit=1000"));
            paths.AddRange(page!["data"]!.AsArray().Select(d => new Uri(d!["tracking"]!["open"]!.GetValue<string>()).PathAndQuery));
        }

        return paths;
    }

    /// <summary>An open webhook to <paramref name="handler"/>, as fast as the limits allow.</summary>
    public Task<long> WebhookAsync(Uri handler, string signing, string format, int concurrency, int perSecond) =>
        CreateAsync("/v3/webhooks", new { handler = handler.ToString(), trigger = "open", signing, format, max_concurrency = concurrency, max_per_second = perSecond });

    /// <summary>Gives a webhook an ed25519 key: it then signs with <c>v1a</c> next to <c>v1</c>.</summary>
    public async Task AddEd25519Async(long webhookId)
    {
        using var response = await _http.PostAsJsonAsync(Url($"/v3/webhook/{webhookId}/secrets/rotate"), new { kind = "ed25519" });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"rotate ed25519: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _http.Dispose();
}
