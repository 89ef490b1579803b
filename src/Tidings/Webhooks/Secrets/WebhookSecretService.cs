using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Audit;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Secrets;

/// <summary>A webhook's secrets as shown to its account: those signing now, and the current ed25519 key if any.</summary>
internal sealed record WebhookSecrets(long WebhookId, IReadOnlyList<StoredWebhookSecret> Secrets, StoredWebhookSecret? CurrentEd25519);

/// <summary>
/// A webhook's Standard Webhooks secrets for every front end: listed (never to a caller that may only read), rotated,
/// imported and the ed25519 key removed. A webhook of another account is answered as a missing one.
/// </summary>
internal sealed class WebhookSecretService(WebhookStore webhooks, WebhookSecretStore store, IOptions<WebhookSecretsOptions> options, AuditTrail audit)
{
    /// <summary>The account's webhook with this id, or a rejection saying there is none.</summary>
    public Task<WebhookRecord> RequireWebhookAsync(long accountId, string id, CancellationToken ct) => webhooks.RequireAsync(accountId, id, ct);

    /// <summary>The webhook's secrets; <paramref name="callerMayWrite"/> false (a reporting token) is refused.</summary>
    public async Task<WebhookSecrets> ListAsync(long accountId, string id, bool callerMayWrite, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        // Whoever holds a secret can forge calls to the receiver: read-only (reporting) callers do not get it.
        if (!callerMayWrite) throw new RequestRejectedException(CopernicaErrors.ReadOnlyToken);
        IReadOnlyList<StoredWebhookSecret> list;
        try
        {
            list = await store.ListAsync(webhook.Id, ct);
        }
        catch (KeyNotFoundException)
        {
            // Deleted between the check and the read: answered as a missing one.
            throw new RequestRejectedException(WebhookInput.NoWebhook);
        }

        return new WebhookSecrets(webhook.Id, list, list.FirstOrDefault(s => s.Kind == WebhookSecretKinds.Ed25519 && s.IsCurrent));
    }

    /// <summary>A new secret of the body's <c>kind</c>; the replaced hmac secret keeps signing for <c>grace</c> seconds.</summary>
    public async Task<StoredWebhookSecret> RotateAsync(WebhookRecord webhook, JsonObject body, CancellationToken ct)
    {
        var kind = WebhookSecretInput.Kind(body);
        var grace = WebhookSecretInput.Grace(body, options.Value);
        var secret = await store.RotateAsync(webhook.AccountId, webhook.Id, kind, grace, ct);
        await audit.RecordAsync(webhook.AccountId, AuditActions.Rotated, AuditTargets.WebhookSecret, webhook.Id, $"{secret.Kind} secret {secret.Id}", ct);
        return secret;
    }

    /// <summary>Installs the body's <c>secret</c> (whsec_… or whsk_…); the replaced hmac secret keeps signing for <c>grace</c> seconds.</summary>
    public async Task<StoredWebhookSecret> ImportAsync(WebhookRecord webhook, JsonObject body, CancellationToken ct)
    {
        var (kind, secret) = WebhookSecretInput.Secret(body, options.Value);
        var grace = WebhookSecretInput.Grace(body, options.Value);
        var stored = await store.ImportAsync(webhook.AccountId, webhook.Id, kind, secret, grace, ct);
        await audit.RecordAsync(webhook.AccountId, AuditActions.Imported, AuditTargets.WebhookSecret, webhook.Id, $"{stored.Kind} secret {stored.Id}", ct);
        return stored;
    }

    /// <summary>Removes the webhook's ed25519 key: calls no longer carry a v1a signature.</summary>
    public async Task RemoveEd25519Async(long accountId, string id, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        await store.RemoveEd25519Async(webhook.AccountId, webhook.Id, ct);
        await audit.RecordAsync(webhook.AccountId, AuditActions.Removed, AuditTargets.WebhookSecret, webhook.Id, "ed25519 key", ct);
    }
}
