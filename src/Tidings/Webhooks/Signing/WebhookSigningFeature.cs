using Microsoft.Extensions.Options;
using Tidings.Hosting;
using Tidings.SecretProtection;

namespace Tidings.Webhooks.Signing;

/// <summary>
/// The server's webhook signing keys: generated at first start, published at <c>/.well-known/tidings/webhook-keys</c>
/// and as DKIM-style DNS records, rotated with <c>keys rotate</c>.
/// </summary>
internal static class WebhookSigningFeature
{
    public const string WellKnownPath = "/.well-known/tidings/webhook-keys";

    public static WebApplicationBuilder AddWebhookSigning(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookSigningOptions>().BindConfiguration(WebhookSigningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSecretColumn(SigningKeyStore.PrivateKeyColumn);
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<CopernicaSigner>();
        builder.Services.AddHostedService<SigningKeyOnFirstStart>();
        builder.Services.AddAdminVerbs<SigningKeyAdminVerbs>();
        return builder;
    }

    public static WebApplication MapWebhookSigning(this WebApplication app)
    {
        app.MapGet(WellKnownPath, async (HttpContext http, SigningKeyStore store, IOptions<WebhookSigningOptions> options) =>
        {
            var keys = await store.ListPublishedAsync(http.RequestAborted);
            http.Response.Headers.CacheControl = $"public, max-age={options.Value.PublishedKeysMaxAgeSeconds}";
            return Results.Ok(new PublishedKeys(keys.Select((k, i) => PublishedKey.From(k, options.Value.Domain, signing: i == 0 && k.Activated is not null)).ToList()));
        })
        .WithTags("Webhooks")
        .WithSummary("The public keys that verify this server's Copernica-style webhook signatures");
        return app;
    }

    /// <summary>Generates the first key so the DNS record can be published before the first webhook goes out.</summary>
    private sealed class SigningKeyOnFirstStart(SigningKeyStore store, IOptions<WebhookSigningOptions> options, ILogger<SigningKeyOnFirstStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var (key, created) = await store.EnsureKeyAsync(cancellationToken);
            if (!created) return;
            var keyId = key.KeyId(options.Value.Domain);
            logger.SigningKeyGenerated(keyId);
            if (!options.Value.PrintDnsRecordOnFirstKey) return;
            Console.WriteLine();
            Console.WriteLine("  Webhook signing key generated. For receivers that look the key up in DNS, publish this TXT record:");
            Console.WriteLine();
            Console.WriteLine($"    {key.DnsZoneLine(options.Value.Domain)}");
            Console.WriteLine();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal sealed record PublishedKeys(IReadOnlyList<PublishedKey> Keys);

/// <summary>One published key: what a receiver needs to verify a signature whose <c>keyId</c> is <see cref="KeyId"/>.</summary>
internal sealed record PublishedKey(string KeyId, string Selector, string Algorithm, string PublicKeyPem, string DnsTxtRecord, bool Signing, DateTimeOffset Created, DateTimeOffset? RetiresAt)
{
    public static PublishedKey From(SigningKey key, string domain, bool signing) => new(
        key.KeyId(domain),
        key.Selector,
        key.Algorithm,
        key.PublicKeyPem,
        key.DnsTxtRecord,
        signing,
        DateTimeOffset.FromUnixTimeMilliseconds(key.Created),
        key.RetiredAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}

/// <summary><c>keys list</c> and <c>keys rotate</c>: show or replace the webhook signing key and the DNS records to publish.</summary>
internal sealed class SigningKeyAdminVerbs : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["keys"];

    public IReadOnlyList<string> Usage { get; } = ["keys list", "keys rotate"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var store = services.GetRequiredService<SigningKeyStore>();
        var options = services.GetRequiredService<IOptions<WebhookSigningOptions>>().Value;
        switch (string.Join(' ', args.Take(2)))
        {
            case "keys list":
            {
                await store.EnsureKeyAsync();
                var keys = await store.ListPublishedAsync();
                for (var i = 0; i < keys.Count; i++) Print(keys[i], options.Domain, i == 0 ? "signing" : "published until " + Until(keys[i]));
                return 0;
            }

            case "keys rotate":
            {
                await store.EnsureKeyAsync();
                var key = await store.RotateAsync();
                Console.WriteLine($"New signing key {key.KeyId(options.Domain)}. Publish its TXT record now; replaced keys stay published for {options.RotationOverlapHours} hours.");
                foreach (var k in await store.ListPublishedAsync()) Print(k, options.Domain, k.Id == key.Id ? "signing" : "published until " + Until(k));
                return 0;
            }

            default:
                Console.Error.WriteLine("Usage: " + string.Join(" | ", Usage));
                return 2;
        }
    }

    private static string Until(SigningKey key) =>
        key.RetiredAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "further notice";

    private static void Print(SigningKey key, string domain, string state)
    {
        Console.WriteLine($"{key.KeyId(domain)}\t{key.Algorithm}\t{state}");
        Console.WriteLine($"  {key.DnsZoneLine(domain)}");
    }
}
