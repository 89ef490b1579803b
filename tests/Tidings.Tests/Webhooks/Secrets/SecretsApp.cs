using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Signing;
using Tidings.Webhooks.Secrets;

namespace Tidings.Tests.Webhooks.Secrets;

/// <summary>
/// The server on a clock the tests move, with keys cached for an hour: a grace period that ends within that hour must
/// end on time although the cache entry is still young.
/// </summary>
public sealed class SecretsApp : TidingsApp
{
    public ManualTime Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    internal WebhookSecretStore Secrets => Services.GetRequiredService<WebhookSecretStore>();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Secrets:CacheSeconds"] = "3600",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>A webhook signed the Standard Webhooks way; returns its id.</summary>
    public static Task<long> NewWebhookAsync(ApiClient client) =>
        client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "open", signing = "standard" });

    /// <summary>The body of a 200 answer (fails the test on any other status).</summary>
    public static async Task<JsonNode> OkJsonAsync(HttpResponseMessage response)
    {
        await response.ShouldHaveStatusAsync(200);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Rows of <c>webhook_secrets</c> for a webhook, expired ones included.</summary>
    public Task<long> SecretRowsAsync(long webhookId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM webhook_secrets WHERE webhook_id = @webhookId", new { webhookId });
}
