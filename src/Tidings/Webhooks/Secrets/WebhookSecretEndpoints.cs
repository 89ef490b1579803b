using System.Text.Json;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Signing;
using Tidings.Rejections;

namespace Tidings.Webhooks.Secrets;

/// <summary>
/// REST v3 (Tidings): a webhook's Standard Webhooks secrets. <c>GET webhook/{id}/secrets</c>,
/// <c>POST webhook/{id}/secrets/rotate</c>, <c>PUT|POST webhook/{id}/secrets</c> (import) and
/// <c>DELETE webhook/{id}/secrets/ed25519</c>. A webhook of another account answers as a missing one.
/// </summary>
public static class WebhookSecretEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/webhook/{id}/secrets").WithTags("Webhooks");

        secrets.MapGet("", async (HttpContext http, string id, WebhookStore webhooks, WebhookSecretStore store, CopernicaTime time) =>
        {
            var webhook = await RequireAsync(http, id, webhooks);
            // Whoever holds a secret can forge calls to the receiver: read-only (reporting) tokens do not get it.
            if (!http.Caller().CanWrite) throw new RequestRejectedException(CopernicaErrors.ReadOnlyToken);
            var list = await ListAsync(store, webhook.Id, http.RequestAborted);
            return Private(http, w =>
            {
                w.WriteStartObject();
                w.WriteString("webhook", webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartArray("secrets");
                foreach (var s in list) WriteSecret(w, s, time);
                w.WriteEndArray();
                var ed25519 = list.FirstOrDefault(s => s.Kind == WebhookSecretKinds.Ed25519 && s.IsCurrent);
                if (ed25519 is null) w.WriteNull("ed25519_public_key"); else w.WriteString("ed25519_public_key", PublicKey(ed25519));
                w.WriteEndObject();
            });
        }).WithSummary("The webhook's Standard Webhooks secrets (current and those still in their grace period) and its ed25519 public key");

        secrets.MapPost("/rotate", async (HttpContext http, string id, WebhookStore webhooks, WebhookSecretStore store, CopernicaTime time, IOptions<WebhookSecretsOptions> options) =>
        {
            var webhook = await RequireAsync(http, id, webhooks);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.RotateKeys);
            var kind = WebhookSecretInput.Kind(body);
            var grace = WebhookSecretInput.Grace(body, options.Value);
            var created = await store.RotateAsync(webhook.AccountId, webhook.Id, kind, grace, http.RequestAborted);
            return Private(http, w => WriteSecret(w, created, time));
        }).WithSummary("Generate a new secret (kind hmac or ed25519); the replaced hmac secret keeps signing for grace seconds");

        secrets.MapMethods("", PutOrPost, async (HttpContext http, string id, WebhookStore webhooks, WebhookSecretStore store, CopernicaTime time, IOptions<WebhookSecretsOptions> options) =>
        {
            var webhook = await RequireAsync(http, id, webhooks);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.ImportKeys);
            var (kind, secret) = WebhookSecretInput.Secret(body, options.Value);
            var grace = WebhookSecretInput.Grace(body, options.Value);
            var stored = await store.ImportAsync(webhook.AccountId, webhook.Id, kind, secret, grace, http.RequestAborted);
            return Private(http, w => WriteSecret(w, stored, time));
        }).WithSummary("Import a secret (whsec_… or whsk_…), e.g. from Svix; the replaced hmac secret keeps signing for grace seconds");

        secrets.MapDelete("/ed25519", async (HttpContext http, string id, WebhookStore webhooks, WebhookSecretStore store) =>
        {
            var webhook = await RequireAsync(http, id, webhooks);
            await store.RemoveEd25519Async(webhook.AccountId, webhook.Id, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Remove the webhook's ed25519 key: calls no longer carry a v1a signature");
    }

    private static Task<WebhookRecord> RequireAsync(HttpContext http, string id, WebhookStore webhooks) =>
        webhooks.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);

    /// <summary>The webhook may be deleted between the check and the read: answer as for a missing one.</summary>
    private static async Task<IReadOnlyList<StoredWebhookSecret>> ListAsync(WebhookSecretStore store, long webhookId, CancellationToken ct)
    {
        try
        {
            return await store.ListAsync(webhookId, ct);
        }
        catch (KeyNotFoundException)
        {
            throw new RequestRejectedException(WebhookInput.NoWebhook);
        }
    }

    /// <summary>Secrets must not stay in shared or browser caches.</summary>
    private static IResult Private(HttpContext http, Action<Utf8JsonWriter> write)
    {
        http.Response.Headers.CacheControl = "no-store";
        return CopernicaJson.Write(write);
    }

    private static void WriteSecret(Utf8JsonWriter w, StoredWebhookSecret s, CopernicaTime time)
    {
        w.WriteStartObject();
        w.WriteString("secret", s.Secret);
        w.WriteString("kind", s.Kind);
        w.WriteString("created", time.FormatMs(s.Created));
        if (s.Expires is { } expires) w.WriteString("expires", time.FormatMs(expires)); else w.WriteNull("expires");
        if (s.Kind == WebhookSecretKinds.Ed25519) w.WriteString("public_key", PublicKey(s));
        w.WriteEndObject();
    }

    private static string PublicKey(StoredWebhookSecret s) => Ed25519WebhookKey.Parse(s.Secret).PublicKeyString();
}
