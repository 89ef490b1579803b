using System.Globalization;
using System.Text.Json;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// REST v3: webhook configuration as Copernica has it (<c>POST webhooks</c>, <c>GET|PUT|DELETE webhook/{id}</c>) plus
/// <c>GET webhooks</c>, the lists per database and collection, and Tidings' extension keys.
/// </summary>
internal static class WebhookEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("").WithTags("Webhooks");
        webhooks.MapPost("/webhooks", async (HttpContext http, WebhookService service) =>
        {
            var body = await RequestBody.ReadStrictAsync(http, WebhookInput.Keys);
            var id = await service.CreateAsync(http.Caller().AccountId, body, http.RequestAborted);
            return RestResults.Created(http, "webhook", id);
        }).WithSummary("Create a webhook (handler, trigger or triggers, callers, database, collection, format, signing, limits, enabled)");

        webhooks.MapGet("/webhooks", async (HttpContext http, WebhookService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, x) => Write(w, x, time));
        }).WithSummary("The account's webhooks");

        webhooks.MapGet("/webhook", () => CopernicaJson.Error(CopernicaErrors.MissingPathElement(1))).ExcludeFromDescription();
        webhooks.MapGet("/webhook/{id}", async (HttpContext http, string id, WebhookService service, CopernicaTime time) =>
        {
            var webhook = await service.GetAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => Write(w, webhook, time));
        }).WithSummary("A webhook in Copernica's shape plus Tidings' keys, with whether its handler's domain is validated");

        webhooks.MapMethods("/webhook/{id}", PutOrPost, async (HttpContext http, string id, WebhookService service) =>
        {
            // The webhook is looked up before the body is read, so a missing one is reported first.
            var webhook = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, WebhookInput.Keys);
            await service.UpdateAsync(webhook, body, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a webhook; keys left out keep their value");

        webhooks.MapDelete("/webhook/{id}", async (HttpContext http, string id, WebhookService service) =>
        {
            var deleted = await service.DeleteAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.Deleted(http, "webhook", deleted);
        }).WithSummary("Remove a webhook");

        webhooks.MapGet("/database/{id}/webhooks", async (HttpContext http, string id, WebhookService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListOfDatabaseAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, x) => Write(w, x, time));
        }).WithSummary("The webhooks linked to a database (including those of its collections)");

        webhooks.MapGet("/collection/{id}/webhooks", async (HttpContext http, string id, WebhookService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListOfCollectionAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, x) => Write(w, x, time));
        }).WithSummary("The webhooks linked to a collection");
    }

    /// <summary>Copernica's keys first (<c>ID</c>, <c>handler</c>, <c>trigger</c>, <c>callers</c>), then Tidings' extensions.</summary>
    private static void Write(Utf8JsonWriter w, ValidatedWebhook validated, CopernicaTime time)
    {
        var x = validated.Webhook;
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
        w.WriteBoolean("validated", validated.Validated);
        if (validated.ValidationError is { } why) w.WriteString("validation_error", why); else w.WriteNull("validation_error");
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
