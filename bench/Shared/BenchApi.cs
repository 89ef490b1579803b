using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tidings.Bench;

/// <summary>The REST calls benchmarks prepare a run with: creating things, and a mailing with destinations.</summary>
public class BenchApi(Uri server, string token) : IDisposable
{
    protected HttpClient Http { get; } = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };

    protected string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + token;

    public async Task<long> CreateAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(Url(path), body);
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
            var state = await Http.GetFromJsonAsync<JsonNode>(Url($"/v3/ms/emailing/{mailing}"));
            if (state!["status"]!.GetValue<string>() == "sent") break;
            if (attempt > 1200) throw new TimeoutException("mailing not prepared");
            await Task.Delay(100);
        }

        var paths = new List<string>(count);
        for (var start = 0; start < count; start += 1000)
        {
            var page = await Http.GetFromJsonAsync<JsonNode>(Url($"/v3/ms/emailing/{mailing}/destinations?start={start}&limit=1000"));
            paths.AddRange(page!["data"]!.AsArray().Select(d => new Uri(d!["tracking"]!["open"]!.GetValue<string>()).PathAndQuery));
        }

        return paths;
    }

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }
}
