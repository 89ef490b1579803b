using System.Text.Json;
using Tidings.Rest;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Secrets;

/// <summary>
/// REST v3 (Tidings): a webhook's Standard Webhooks secrets. <c>GET webhook/{id}/secrets</c>,
/// <c>POST webhook/{id}/secrets/rotate</c>, <c>PUT|POST webhook/{id}/secrets</c> (import) and
/// <c>DELETE webhook/{id}/secrets/ed25519</c>. A webhook of another account answers as a missing one.
/// </summary>
internal static class WebhookSecretEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/webhook/{id}/secrets").WithTags("Webhooks");

        secrets.MapGet("", async (HttpContext http, string id, WebhookSecretService service, CopernicaTime time) =>
        {
            var caller = http.Caller();
            var found = await service.ListAsync(caller.AccountId, id, caller.CanWrite, http.RequestAborted);
            return Private(http, w =>
            {
                w.WriteStartObject();
                w.WriteString("webhook", found.WebhookId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartArray("secrets");
                foreach (var s in found.Secrets) WriteSecret(w, s, time);
                w.WriteEndArray();
                if (found.CurrentEd25519 is { } ed25519) w.WriteString("ed25519_public_key", PublicKey(ed25519)); else w.WriteNull("ed25519_public_key");
                w.WriteEndObject();
            });
        }).WithSummary("The webhook's Standard Webhooks secrets (current and those still in their grace period) and its ed25519 public key");

        secrets.MapPost("/rotate", async (HttpContext http, string id, WebhookSecretService service, CopernicaTime time) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.RotateKeys);
            var created = await service.RotateAsync(webhook, body, http.RequestAborted);
            return Private(http, w => WriteSecret(w, created, time));
        }).WithSummary("Generate a new secret (kind hmac or ed25519); the replaced hmac secret keeps signing for grace seconds");

        secrets.MapMethods("", PutOrPost, async (HttpContext http, string id, WebhookSecretService service, CopernicaTime time) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.ImportKeys);
            var stored = await service.ImportAsync(webhook, body, http.RequestAborted);
            return Private(http, w => WriteSecret(w, stored, time));
        }).WithSummary("Import a secret (whsec_… or whsk_…), e.g. from Svix; the replaced hmac secret keeps signing for grace seconds");

        secrets.MapDelete("/ed25519", async (HttpContext http, string id, WebhookSecretService service) =>
        {
            await service.RemoveEd25519Async(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Remove the webhook's ed25519 key: calls no longer carry a v1a signature");
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
