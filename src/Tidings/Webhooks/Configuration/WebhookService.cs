using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Audit;
using Tidings.Profiles;
using Tidings.Webhooks.Domains;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Configuration;

/// <summary>A webhook with whether its handler lies under a validated domain of its account (null: it does).</summary>
internal sealed record ValidatedWebhook(WebhookRecord Webhook, string? ValidationError)
{
    public bool Validated => ValidationError is null;
}

/// <summary>
/// Webhook configuration for every front end (REST, SOAP, the dashboard): bodies checked and applied, handlers
/// refused that could never be validated, and each webhook shown with whether its handler's domain is validated.
/// Rejections are <see cref="Rejections.RequestRejectedException"/>s with the texts the REST API answers with.
/// </summary>
internal sealed class WebhookService(WebhookStore store, DomainStore domains, DatabaseStore databases, IOptions<WebhookDevelopmentOptions> development, AuditTrail audit)
{
    /// <summary>Creates a webhook of the account from a body (<see cref="WebhookInput.Keys"/>); its id.</summary>
    public async Task<long> CreateAsync(long accountId, JsonObject body, CancellationToken ct)
    {
        var webhook = store.New(accountId);
        await WebhookInput.ApplyAsync(body, webhook, creating: true, databases, ct);
        HandlerRules.Require(webhook.Handler, development.Value.AllowLoopback);
        var id = await store.CreateAsync(webhook, ct);
        await audit.RecordAsync(accountId, AuditActions.Created, AuditTargets.Webhook, id, webhook.Handler, ct);
        return id;
    }

    /// <summary>The account's webhook with this id, or a rejection saying there is none.</summary>
    public Task<WebhookRecord> RequireAsync(long accountId, string id, CancellationToken ct) => store.RequireAsync(accountId, id, ct);

    public async Task<ValidatedWebhook> GetAsync(long accountId, string id, CancellationToken ct)
    {
        var webhook = await store.RequireAsync(accountId, id, ct);
        return Validate(webhook, await domains.ValidatedDomainsAsync(accountId, ct));
    }

    /// <summary>Changes a webhook; keys left out keep their value.</summary>
    public async Task UpdateAsync(WebhookRecord webhook, JsonObject body, CancellationToken ct)
    {
        var handler = webhook.Handler;
        var enabled = webhook.Enabled;
        await WebhookInput.ApplyAsync(body, webhook, creating: false, databases, ct);
        // Only a new handler is judged: a webhook stored before this rule can still be changed otherwise.
        if (webhook.Handler != handler) HandlerRules.Require(webhook.Handler, development.Value.AllowLoopback);
        await store.UpdateAsync(webhook, ct);
        var action = webhook.Enabled == enabled ? AuditActions.Changed : webhook.Enabled ? AuditActions.Enabled : AuditActions.Disabled;
        await audit.RecordAsync(webhook.AccountId, action, AuditTargets.Webhook, webhook.Id, AuditTrail.Keys(body), ct);
    }

    /// <summary>
    /// Switches the webhook on or off. A disabled one keeps <paramref name="reason"/> to show why (REST's
    /// <c>disabled_reason</c>); enabling clears it, as <c>enabled: true</c> in a body does.
    /// </summary>
    public async Task SetEnabledAsync(WebhookRecord webhook, bool enabled, string? reason, CancellationToken ct)
    {
        webhook.Enabled = enabled;
        webhook.DisabledReason = enabled ? null : reason;
        await store.UpdateAsync(webhook, ct);
        await audit.RecordAsync(webhook.AccountId, enabled ? AuditActions.Enabled : AuditActions.Disabled, AuditTargets.Webhook, webhook.Id, reason ?? "", ct);
    }

    /// <summary>Removes the webhook (and what other features keep for it); the id it had.</summary>
    public async Task<long> DeleteAsync(long accountId, string id, CancellationToken ct)
    {
        var webhook = await store.RequireAsync(accountId, id, ct);
        await store.DeleteAsync(webhook, ct);
        await audit.RecordAsync(accountId, AuditActions.Deleted, AuditTargets.Webhook, webhook.Id, webhook.Handler, ct);
        return webhook.Id;
    }

    /// <summary>A page of the account's webhooks.</summary>
    public Task<(IReadOnlyList<ValidatedWebhook> Items, long Total)> ListAsync(long accountId, long offset, long take, CancellationToken ct) =>
        PageAsync(accountId, offset, take, null, null, ct);

    /// <summary>A page of the webhooks linked to a database (id or name), including those of its collections.</summary>
    public async Task<(IReadOnlyList<ValidatedWebhook> Items, long Total)> ListOfDatabaseAsync(long accountId, string database, long offset, long take, CancellationToken ct)
    {
        var d = await databases.RequireDatabaseAsync(accountId, database, ct);
        return await PageAsync(accountId, offset, take, d.Id, null, ct);
    }

    /// <summary>A page of the webhooks linked to a collection (id or name).</summary>
    public async Task<(IReadOnlyList<ValidatedWebhook> Items, long Total)> ListOfCollectionAsync(long accountId, string collection, long offset, long take, CancellationToken ct)
    {
        var c = await databases.RequireCollectionAsync(accountId, collection, ct);
        return await PageAsync(accountId, offset, take, null, c.Id, ct);
    }

    private async Task<(IReadOnlyList<ValidatedWebhook> Items, long Total)> PageAsync(long accountId, long offset, long take, long? databaseId, long? collectionId, CancellationToken ct)
    {
        var (items, total) = await store.ListAsync(accountId, offset, take, ct, databaseId, collectionId);
        var validated = await domains.ValidatedDomainsAsync(accountId, ct);
        return (items.Select(x => Validate(x, validated)).ToList(), total);
    }

    private static ValidatedWebhook Validate(WebhookRecord webhook, IReadOnlyList<string> validatedDomains) =>
        new(webhook, DomainStore.WhyNotAllowed(webhook.Handler, validatedDomains));
}
