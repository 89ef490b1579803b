using System.Globalization;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// REST v3 for delivery: a webhook's live status, its attempts and deliveries, replays with progress, a test call
/// (a sample event or the user's own post data, with the receiver's whole answer) and "check now" for all webhooks.
/// </summary>
internal static class WebhookDeliveryEndpoints
{
    private static WebhookDeliveryJsonContext Contracts => WebhookDeliveryJsonContext.Default;

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Webhook delivery");

        g.MapGet("/webhook/{id}/status", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var (webhook, status) = await service.StatusAsync(http.Caller().AccountId, id, http.RequestAborted);
            return status is null
                ? CopernicaJson.Json(WebhookStatusAnswer.From(webhook, time), Contracts.WebhookStatusAnswer)
                : (IResult)CopernicaJson.Json(RunningWebhookStatusAnswer.From(webhook, status, time), Contracts.RunningWebhookStatusAnswer);
        }).WithSummary("Where the webhook's delivery stands: running, queued, behind, paused, current rate, health");

        g.MapGet("/webhook/{id}/attempts", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.AttemptsAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(a => AttemptAnswer.From(a, time)).ToList(), total), Contracts.PageAttemptAnswer);
        }).WithSummary("Every call made for the webhook, newest first: time, status, latency, response excerpt");

        g.MapGet("/webhook/{id}/deliveries", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var status = http.Request.Query["status"].ToString();
            var (items, total) = await service.DeliveriesAsync(http.Caller().AccountId, id, status, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(d => DeliveryAnswer.From(d, time)).ToList(), total), Contracts.PageDeliveryAnswer);
        }).WithSummary("Deliveries that needed more than one try, or were replayed: pending (with when next), failed, delivered");

        g.MapPost("/webhook/{id}/delivery/{deliveryId}/retry", async (HttpContext http, string id, string deliveryId, WebhookDeliveryService service) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            await RequestBody.ReadStrictAsync(http, BodyKeys.None);
            var replay = await service.RetryDeliveryAsync(webhook, deliveryId, http.RequestAborted);
            return RestResults.Created(http, "webhook/" + webhook.Id.ToString(CultureInfo.InvariantCulture) + "/replay", replay);
        }).WithSummary("Send one delivery again now");

        g.MapPost("/webhook/{id}/replay", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("event", "delivery", "failed", "from", "to"));
            var replay = await service.ReplayAsync(webhook, ReplayRequestOf(body, time), http.RequestAborted);
            return RestResults.Created(http, "webhook/" + webhook.Id.ToString(CultureInfo.InvariantCulture) + "/replay", replay);
        }).WithSummary("Send again: one event, one delivery, every failed delivery, or every event of a time range (from, to)");

        g.MapGet("/webhook/{id}/replays", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ReplaysAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(r => ReplayAnswer.Of(r, null, time)).ToList(), total), Contracts.PageReplayAnswer);
        }).WithSummary("The webhook's replays, newest first");

        g.MapGet("/webhook/{id}/replay/{replayId}", async (HttpContext http, string id, string replayId, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var (replay, progress) = await service.GetReplayAsync(http.Caller().AccountId, id, replayId, http.RequestAborted);
            return CopernicaJson.Json(ReplayAnswer.Of(replay, progress, time), Contracts.ReplayAnswer);
        }).WithSummary("A replay's progress: journal records scanned of total, deliveries queued, delivered, pending, failed");

        g.MapPost("/webhook/{id}/test", async (HttpContext http, string id, WebhookDeliveryService service) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            // data is the caller's own post data: its keys are not checked, only that none is given twice.
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("type", "data"));
            var result = await service.TestAsync(webhook, body["type"] is { } type ? FieldText(type) : null, body["data"], http.RequestAborted);
            return CopernicaJson.Json(WebhookTestAnswer.From(result), Contracts.WebhookTestAnswer);
        }).WithSummary("Call the webhook now with a sample event of a type (type) or your own post data (data), and show the receiver's answer");

        g.MapPost("/webhooks/check", async (HttpContext http, WebhookDeliveryService service) =>
        {
            await RequestBody.ReadStrictAsync(http, BodyKeys.None);
            var results = await service.CheckAllAsync(http.Caller().AccountId, http.RequestAborted);
            return CopernicaJson.Json(WebhookChecksAnswer.From(results), Contracts.WebhookChecksAnswer);
        }).WithSummary("Check now: a test call to every webhook of the account, with each result");
    }

    /// <summary>
    /// The replay body as a request: the first of <c>event</c>, <c>delivery</c>, <c>failed=true</c> and <c>from</c> (with
    /// <c>to</c>) that is given; the times, local <c>YYYY-MM-DD HH:MM:SS</c>, are read only when they are what counts.
    /// </summary>
    private static ReplayRequest ReplayRequestOf(System.Text.Json.Nodes.JsonObject body, CopernicaTime time)
    {
        string? Text(string key) => body[key] is { } node ? FieldText(node) : null;
        if (Text("event") is { Length: > 0 } eventId) return new ReplayRequest(EventId: eventId);
        if (Text("delivery") is { Length: > 0 } delivery) return new ReplayRequest(DeliveryId: delivery);
        if (Text("failed") is { } failed && QueryValues.IsTrue(failed)) return new ReplayRequest(Failed: true);
        if (Text("from") is not { } fromText) return new ReplayRequest();
        var from = time.ParseLocal(fromText) ?? throw new RequestRejectedException("Invalid value for from (expected YYYY-MM-DD HH:MM:SS)");
        var to = Text("to") is { } toText ? time.ParseLocal(toText) ?? throw new RequestRejectedException("Invalid value for to (expected YYYY-MM-DD HH:MM:SS)") : (long?)null;
        return new ReplayRequest(FromMs: from, ToMs: to);
    }

    private static string FieldText(System.Text.Json.Nodes.JsonNode node) => Profiles.FieldTypes.ToScalarText(node) ?? "";
}
