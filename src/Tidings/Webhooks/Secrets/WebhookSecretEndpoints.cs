using System.Text.Json.Serialization.Metadata;
using Tidings.Rest;

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
            return Private(http, WebhookSecretsAnswer.From(found, time), WebhookSecretJsonContext.Default.WebhookSecretsAnswer);
        }).WithSummary("The webhook's Standard Webhooks secrets (current and those still in their grace period) and its ed25519 public key");

        secrets.MapPost("/rotate", async (HttpContext http, string id, WebhookSecretService service, CopernicaTime time) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.RotateKeys);
            var created = await service.RotateAsync(webhook, body, http.RequestAborted);
            return Private(http, WebhookSecretAnswer.From(created, time), WebhookSecretJsonContext.Default.WebhookSecretAnswer);
        }).WithSummary("Generate a new secret (kind hmac or ed25519); the replaced hmac secret keeps signing for grace seconds");

        secrets.MapMethods("", PutOrPost, async (HttpContext http, string id, WebhookSecretService service, CopernicaTime time) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookSecretInput.ImportKeys);
            var stored = await service.ImportAsync(webhook, body, http.RequestAborted);
            return Private(http, WebhookSecretAnswer.From(stored, time), WebhookSecretJsonContext.Default.WebhookSecretAnswer);
        }).WithSummary("Import a secret (whsec_… or whsk_…), e.g. from Svix; the replaced hmac secret keeps signing for grace seconds");

        secrets.MapDelete("/ed25519", async (HttpContext http, string id, WebhookSecretService service) =>
        {
            await service.RemoveEd25519Async(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Remove the webhook's ed25519 key: calls no longer carry a v1a signature");
    }

    /// <summary>Secrets must not stay in shared or browser caches.</summary>
    private static CopernicaJsonResult<T> Private<T>(HttpContext http, T answer, JsonTypeInfo<T> type)
    {
        http.Response.Headers.CacheControl = "no-store";
        return CopernicaJson.Json(answer, type);
    }
}
