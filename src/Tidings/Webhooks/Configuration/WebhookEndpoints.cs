using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Webhooks.Outbound;
using Tidings.Webhooks.Domains;
using Tidings.Rejections;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// REST v3: webhook configuration as Copernica has it (<c>POST webhooks</c>, <c>GET|PUT|DELETE webhook/{id}</c>) plus
/// <c>GET webhooks</c>, the lists per database and collection, and Tidings' extension keys.
/// </summary>
public static class WebhookEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("").WithTags("Webhooks");
        webhooks.MapPost("/webhooks", async (HttpContext http, WebhookStore store, DatabaseStore databases, IOptions<WebhookDevelopmentOptions> development) =>
        {
            var body = await RequestBody.ReadStrictAsync(http, WebhookInput.Keys);
            var webhook = store.New(http.Caller().AccountId);
            await WebhookInput.ApplyAsync(body, webhook, creating: true, databases, http.RequestAborted);
            HandlerRules.Require(webhook.Handler, development.Value.AllowLoopback);
            var id = await store.CreateAsync(webhook, http.RequestAborted);
            return RestResults.Created(http, "webhook", id);
        }).WithSummary("Create a webhook (handler, trigger or triggers, callers, database, collection, format, signing, limits, enabled)");

        webhooks.MapGet("/webhooks", async (HttpContext http, WebhookStore store, DomainStore domains, CopernicaTime time) =>
            await ListAsync(http, store, domains, time, null, null)).WithSummary("The account's webhooks");

        webhooks.MapGet("/webhook", () => CopernicaJson.Error(CopernicaErrors.MissingPathElement(1))).ExcludeFromDescription();
        webhooks.MapGet("/webhook/{id}", async (HttpContext http, string id, WebhookStore store, DomainStore domains, CopernicaTime time) =>
        {
            var accountId = http.Caller().AccountId;
            var webhook = await store.RequireAsync(accountId, id, http.RequestAborted);
            var validated = await domains.ValidatedDomainsAsync(accountId, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, webhook, validated, time));
        }).WithSummary("A webhook in Copernica's shape plus Tidings' keys, with whether its handler's domain is validated");

        webhooks.MapMethods("/webhook/{id}", PutOrPost, async (HttpContext http, string id, WebhookStore store, DatabaseStore databases, IOptions<WebhookDevelopmentOptions> development) =>
        {
            var webhook = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookInput.Keys);
            var handler = webhook.Handler;
            await WebhookInput.ApplyAsync(body, webhook, creating: false, databases, http.RequestAborted);
            // Only a new handler is judged: a webhook stored before this rule can still be changed otherwise.
            if (webhook.Handler != handler) HandlerRules.Require(webhook.Handler, development.Value.AllowLoopback);
            await store.UpdateAsync(webhook, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a webhook; keys left out keep their value");

        webhooks.MapDelete("/webhook/{id}", async (HttpContext http, string id, WebhookStore store) =>
        {
            var webhook = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await store.DeleteAsync(webhook, http.RequestAborted);
            return RestResults.Deleted(http, "webhook", webhook.Id);
        }).WithSummary("Remove a webhook");

        webhooks.MapGet("/database/{id}/webhooks", async (HttpContext http, string id, DatabaseStore databases, WebhookStore store, DomainStore domains, CopernicaTime time) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            return await ListAsync(http, store, domains, time, d.Id, null);
        }).WithSummary("The webhooks linked to a database (including those of its collections)");

        webhooks.MapGet("/collection/{id}/webhooks", async (HttpContext http, string id, DatabaseStore databases, WebhookStore store, DomainStore domains, CopernicaTime time) =>
        {
            var c = await databases.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            return await ListAsync(http, store, domains, time, null, c.Id);
        }).WithSummary("The webhooks linked to a collection");
    }

    private static async Task<IResult> ListAsync(HttpContext http, WebhookStore store, DomainStore domains, CopernicaTime time, long? databaseId, long? collectionId)
    {
        var accountId = http.Caller().AccountId;
        var paging = Paging.From(http.Request);
        var (items, total) = await store.ListAsync(accountId, paging, http.RequestAborted, databaseId, collectionId);
        var validated = await domains.ValidatedDomainsAsync(accountId, http.RequestAborted);
        return paging.Result(items, total, (w, x) => Write(w, x, validated, time));
    }

    /// <summary>Copernica's keys first (<c>ID</c>, <c>handler</c>, <c>trigger</c>, <c>callers</c>), then Tidings' extensions.</summary>
    internal static void Write(Utf8JsonWriter w, WebhookRecord x, IReadOnlyList<string> validatedDomains, CopernicaTime time)
    {
        var triggers = x.TriggerList;
        w.WriteStartObject();
        w.WriteString("ID", x.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteString("handler", x.Handler);
        w.WriteString("trigger", triggers.Count > 0 ? triggers[0] : "");
        WriteArray(w, "callers", x.CallerList);
        WriteId(w, "database", x.DatabaseId);
        WriteId(w, "collection", x.CollectionId);
        WriteArray(w, "triggers", triggers);
        w.WriteString("format", x.Format);
        w.WriteString("signing", x.Signing);
        w.WriteNumber("max_concurrency", x.MaxConcurrency);
        w.WriteNumber("max_per_second", x.MaxPerSecond);
        w.WriteNumber("batch_max_events", x.BatchMaxEvents);
        w.WriteNumber("batch_max_ms", x.BatchMaxMs);
        w.WriteBoolean("ordered", x.Ordered);
        w.WriteBoolean("enabled", x.Enabled);
        if (x.DisabledReason is { } reason) w.WriteString("disabled_reason", reason); else w.WriteNull("disabled_reason");
        var why = DomainStore.WhyNotAllowed(x.Handler, validatedDomains);
        w.WriteBoolean("validated", why is null);
        if (why is null) w.WriteNull("validation_error"); else w.WriteString("validation_error", why);
        w.WriteString("created", time.FormatMs(x.Created));
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteId(Utf8JsonWriter w, string name, long? id)
    {
        if (id is { } v) w.WriteString(name, v.ToString(CultureInfo.InvariantCulture)); else w.WriteNull(name);
    }
}
