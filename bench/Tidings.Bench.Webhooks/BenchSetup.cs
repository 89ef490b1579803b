using System.Net.Http.Json;

namespace Tidings.Bench.Webhooks;

/// <summary>The REST calls that prepare a webhook run: the shared ones (a mailing with destinations) and the webhooks.</summary>
public sealed class BenchSetup(Uri server, string token) : BenchApi(server, token)
{
    /// <summary>An open webhook to <paramref name="handler"/>, as fast as the limits allow.</summary>
    public Task<long> WebhookAsync(Uri handler, string signing, string format, int concurrency, int perSecond) =>
        CreateAsync("/v3/webhooks", new { handler = handler.ToString(), trigger = "open", signing, format, max_concurrency = concurrency, max_per_second = perSecond });

    /// <summary>Gives a webhook an ed25519 key: it then signs with <c>v1a</c> next to <c>v1</c>.</summary>
    public async Task AddEd25519Async(long webhookId)
    {
        using var response = await Http.PostAsJsonAsync(Url($"/v3/webhook/{webhookId}/secrets/rotate"), new { kind = "ed25519" });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"rotate ed25519: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

}
