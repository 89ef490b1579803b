using System.Text;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Signing;

/// <summary>
/// Real signed requests, checked by libraries Tidings does not share code with: npm's <c>http-signature</c> (Copernica
/// scheme) and <c>standardwebhooks</c> (v1), and Node's own ed25519 (v1a, which standardwebhooks 1.1.x does not know).
/// </summary>
public sealed class IndependentVerifierTests
{
    private const string Body = "{\"type\":\"bounce\",\"profile\":42,\"email\":\"zoë@example.com\"}";

    /// <summary>What goes on the wire: the headers the engine set, those the signer added, and Host/Content-Length as HttpClient derives them.</summary>
    private static Dictionary<string, string> WireHeaders(OutgoingWebhookRequest request, IReadOnlyList<KeyValuePair<string, string>> added)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url) { Content = new ByteArrayContent(request.Body.ToArray()) };
        message.Content.Headers.ContentType = null;
        foreach (var (name, value) in request.Headers.Concat(added))
        {
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content.Headers.TryAddWithoutValidation(name, value).ShouldBeTrue(name);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = request.Url.IsDefaultPort ? request.Url.Host : request.Url.Authority,
            ["Content-Length"] = message.Content.Headers.ContentLength!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, values) in message.Headers.Concat(message.Content.Headers)) headers[name] = string.Join(", ", values);
        return headers;
    }

    private static OutgoingWebhookRequest Request(string url = "https://receiver.example:8443/hooks/copernica?source=tidings", string body = Body) =>
        new("POST", new Uri(url), [new("Content-Type", "application/json; charset=utf-8")], Encoding.UTF8.GetBytes(body), "evt_01JABCDEF", 1234);

    private static async Task<(object Input, SigningKey Key)> CopernicaAsync(string idFormat = "account-{id}", string url = "https://receiver.example:8443/hooks/copernica?source=tidings")
    {
        var key = new FixedKey();
        var options = Options.Create(new WebhookSigningOptions { Domain = "hooks.tidings.test", CopernicaIdFormat = idFormat });
        var request = Request(url);
        var added = await new CopernicaSigner(key, options, TimeProvider.System).SignAsync(request, TestContext.Current.CancellationToken);
        var input = new
        {
            method = request.Method,
            path = request.Url.PathAndQuery,
            headers = WireHeaders(request, added),
            bodyBase64 = Convert.ToBase64String(request.Body.Span),
            publicKeyPem = key.Key.PublicKeyPem,
            expectedKeyId = key.Key.KeyId("hooks.tidings.test"),
            expectedCopernicaId = CopernicaSigner.CopernicaId(idFormat, 1234),
        };
        return (input, key.Key);
    }

    [Theory]
    [InlineData("account-{id}", "https://receiver.example:8443/hooks/copernica?source=tidings")]
    [InlineData("account_{id}", "https://receiver.example/hook")]
    public async Task Http_signature_package_verifies_a_copernica_signed_request(string idFormat, string url)
    {
        var (input, _) = await CopernicaAsync(idFormat, url);
        await NodeVerifier.ShouldVerifyAsync("verify-copernica.js", input);
    }

    [Fact]
    public async Task Http_signature_package_rejects_a_copernica_request_whose_body_was_changed()
    {
        var (input, _) = await CopernicaAsync();
        var json = System.Text.Json.JsonSerializer.SerializeToNode(input)!;
        json["bodyBase64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Body.Replace("42", "43", StringComparison.Ordinal)));
        await NodeVerifier.ShouldRejectAsync("verify-copernica.js", json);
    }

    [Fact]
    public async Task Http_signature_package_rejects_a_copernica_request_checked_with_another_key()
    {
        var (input, _) = await CopernicaAsync();
        var json = System.Text.Json.JsonSerializer.SerializeToNode(input)!;
        json["publicKeyPem"] = new FixedKey().Key.PublicKeyPem;
        await NodeVerifier.ShouldRejectAsync("verify-copernica.js", json);
    }

    [Fact]
    public async Task Standardwebhooks_package_verifies_v1_with_either_secret_during_a_rotation()
    {
        var old = WebhookSecret.Generate(24);
        var fresh = WebhookSecret.Generate(64);
        var keys = new StandardWebhooksKeys([new ScheduledWebhookSecret(fresh), new ScheduledWebhookSecret(old, DateTimeOffset.UtcNow.AddHours(1))]);
        var request = Request();
        var added = await new StandardWebhooksSigner(keys, TimeProvider.System).SignAsync(request, TestContext.Current.CancellationToken);
        var headers = WireHeaders(request, added);
        var body = Convert.ToBase64String(request.Body.Span);

        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new { headers, bodyBase64 = body, secret = fresh.ToString() });
        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new { headers, bodyBase64 = body, secret = old.ToString() });
        await NodeVerifier.ShouldRejectAsync("verify-standard.js", new { headers, bodyBase64 = body, secret = WebhookSecret.Generate().ToString() });
        await NodeVerifier.ShouldRejectAsync("verify-standard.js", new { headers, bodyBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Body + " ")), secret = fresh.ToString() });
    }

    [Fact]
    public async Task Standardwebhooks_package_verifies_the_canonical_vector_as_tidings_signs_it()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1614265330));
        var request = new OutgoingWebhookRequest("POST", new Uri("https://receiver.example/"), [], Encoding.UTF8.GetBytes("{\"test\": 2432232314}"), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1);
        var added = await new StandardWebhooksSigner(StandardWebhooksKeys.Symmetric(WebhookSecret.Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")), time)
            .SignAsync(request, TestContext.Current.CancellationToken);

        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new
        {
            headers = added.ToDictionary(h => h.Key, h => h.Value),
            bodyBase64 = Convert.ToBase64String(request.Body.Span),
            secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            now = 1614265330,
        });
    }

    [Fact]
    public async Task Node_crypto_verifies_a_v1a_ed25519_signature()
    {
        var key = Ed25519WebhookKey.Generate();
        var request = Request();
        var added = await new StandardWebhooksSigner(StandardWebhooksKeys.Asymmetric(key), TimeProvider.System).SignAsync(request, TestContext.Current.CancellationToken);
        var headers = WireHeaders(request, added);
        var body = Convert.ToBase64String(request.Body.Span);

        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new { headers, bodyBase64 = body, publicKey = key.PublicKeyString() });
        await NodeVerifier.ShouldRejectAsync("verify-standard.js", new { headers, bodyBase64 = body, publicKey = Ed25519WebhookKey.Generate().PublicKeyString() });
    }

    [Fact]
    public async Task Node_crypto_verifies_the_specs_v1a_example()
    {
        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new
        {
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
                ["webhook-timestamp"] = "1614265330",
                ["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==",
            },
            bodyBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"test\": 2432232314}")),
            publicKey = "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=",
            now = 1614265330,
        });
    }
}
