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

    private static WebhookConfigurationJsonContext Contracts => WebhookConfigurationJsonContext.Default;

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
            return CopernicaJson.Json(paging.Page(Answers(items, time), total), Contracts.PageWebhookAnswer);
        }).WithSummary("The account's webhooks");

        webhooks.MapGet("/webhook", () => CopernicaJson.Error(CopernicaErrors.MissingPathElement(1))).ExcludeFromDescription();
        webhooks.MapGet("/webhook/{id}", async (HttpContext http, string id, WebhookService service, CopernicaTime time) =>
        {
            var webhook = await service.GetAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(WebhookAnswer.From(webhook, time), Contracts.WebhookAnswer);
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
            return CopernicaJson.Json(paging.Page(Answers(items, time), total), Contracts.PageWebhookAnswer);
        }).WithSummary("The webhooks linked to a database (including those of its collections)");

        webhooks.MapGet("/collection/{id}/webhooks", async (HttpContext http, string id, WebhookService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListOfCollectionAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(Answers(items, time), total), Contracts.PageWebhookAnswer);
        }).WithSummary("The webhooks linked to a collection");
    }

    private static List<WebhookAnswer> Answers(IEnumerable<ValidatedWebhook> webhooks, CopernicaTime time) =>
        webhooks.Select(x => WebhookAnswer.From(x, time)).ToList();
}
