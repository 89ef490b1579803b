using System.Globalization;
using System.Text.Json;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// REST v3 for delivery: a webhook's live status, its attempts and deliveries, replays with progress, a test call
/// (a sample event or the user's own post data, with the receiver's whole answer) and "check now" for all webhooks.
/// </summary>
internal static class WebhookDeliveryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Webhook delivery");

        g.MapGet("/webhook/{id}/status", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var (webhook, status) = await service.StatusAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("ID", webhook.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteBoolean("running", status is not null);
                w.WriteBoolean("enabled", webhook.Enabled);
                if (webhook.DisabledReason is { } reason) w.WriteString("disabled_reason", reason); else w.WriteNull("disabled_reason");
                WriteTime(w, "failing_since", webhook.FailingSince, time);
                WriteTime(w, "last_success", webhook.LastSuccess, time);
                if (status is not null)
                {
                    w.WriteNumber("queued", status.Queued);
                    w.WriteNumber("cursor", status.Cursor);
                    w.WriteNumber("journal_head", status.JournalHead);
                    w.WriteNumber("behind", Math.Max(0, status.JournalHead - status.ReadUpTo));
                    w.WriteNumber("failures_in_a_row", status.FailuresInARow);
                    WriteTime(w, "paused_until", status.PausedUntil, time);
                    w.WriteNumber("rate_per_second", Math.Round(status.Rate, 2));
                }

                w.WriteEndObject();
            });
        }).WithSummary("Where the webhook's delivery stands: running, queued, behind, paused, current rate, health");

        g.MapGet("/webhook/{id}/attempts", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.AttemptsAsync(http.Caller().AccountId, id, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, a) =>
            {
                w.WriteStartObject();
                w.WriteString("ID", a.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("event", a.EventId);
                w.WriteNumber("events", a.Events);
                w.WriteNumber("attempt", a.Attempt);
                w.WriteString("time", time.FormatMs(a.Attempted));
                if (a.Status is { } s) w.WriteNumber("status", s); else w.WriteNull("status");
                w.WriteBoolean("success", a.Status is >= 200 and < 300);
                w.WriteNumber("latency_ms", a.LatencyMs);
                w.WriteString("error", a.Error);
                w.WriteString("response", a.Response);
                w.WriteString("remote_ip", a.RemoteIp);
                w.WriteEndObject();
            });
        }).WithSummary("Every call made for the webhook, newest first: time, status, latency, response excerpt");

        g.MapGet("/webhook/{id}/deliveries", async (HttpContext http, string id, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var status = http.Request.Query["status"].ToString();
            var (items, total) = await service.DeliveriesAsync(http.Caller().AccountId, id, status, paging.Offset, paging.Take, http.RequestAborted);
            return paging.Result(items, total, (w, d) =>
            {
                w.WriteStartObject();
                w.WriteString("ID", d.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("event", d.EventId);
                w.WriteString("status", d.Status);
                w.WriteNumber("attempts", d.Attempts);
                WriteTime(w, "first_attempt", d.FirstAttempt, time);
                WriteTime(w, "last_attempt", d.LastAttempt, time);
                WriteTime(w, "next_attempt", d.Status == "pending" ? d.NextAttempt : null, time);
                if (d.LastStatus is { } s) w.WriteNumber("last_status", s); else w.WriteNull("last_status");
                w.WriteString("last_error", d.LastError);
                if (d.ReplayId is { } r) w.WriteString("replay", r.ToString(CultureInfo.InvariantCulture)); else w.WriteNull("replay");
                w.WriteEndObject();
            });
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
            return paging.Result(items, total, (w, r) => WriteReplay(w, r, null, time));
        }).WithSummary("The webhook's replays, newest first");

        g.MapGet("/webhook/{id}/replay/{replayId}", async (HttpContext http, string id, string replayId, WebhookDeliveryService service, CopernicaTime time) =>
        {
            var (replay, progress) = await service.GetReplayAsync(http.Caller().AccountId, id, replayId, http.RequestAborted);
            return CopernicaJson.Write(w => WriteReplay(w, replay, progress, time));
        }).WithSummary("A replay's progress: journal records scanned of total, deliveries queued, delivered, pending, failed");

        g.MapPost("/webhook/{id}/test", async (HttpContext http, string id, WebhookDeliveryService service) =>
        {
            var webhook = await service.RequireWebhookAsync(http.Caller().AccountId, id, http.RequestAborted);
            // data is the caller's own post data: its keys are not checked, only that none is given twice.
            var body = await RequestBody.ReadStrictAsync(http, BodyKeys.Of("type", "data"));
            var result = await service.TestAsync(webhook, body["type"] is { } type ? FieldText(type) : null, body["data"], http.RequestAborted);
            return CopernicaJson.Write(w => WebhookTester.Write(w, result));
        }).WithSummary("Call the webhook now with a sample event of a type (type) or your own post data (data), and show the receiver's answer");

        g.MapPost("/webhooks/check", async (HttpContext http, WebhookDeliveryService service) =>
        {
            await RequestBody.ReadStrictAsync(http, BodyKeys.None);
            var results = await service.CheckAllAsync(http.Caller().AccountId, http.RequestAborted);
            return CopernicaJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", results.Count);
                w.WriteNumber("succeeded", results.Count(r => r.Success));
                w.WriteStartArray("data");
                foreach (var r in results) WebhookTester.Write(w, r, summary: true);
                w.WriteEndArray();
                w.WriteEndObject();
            });
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

    private static void WriteReplay(Utf8JsonWriter w, ReplayRecord r, ReplayProgress? progress, CopernicaTime time)
    {
        w.WriteStartObject();
        w.WriteString("ID", r.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteString("kind", r.Kind);
        w.WriteString("status", r.Status);
        WriteTime(w, "from", r.RangeFrom, time);
        WriteTime(w, "to", r.RangeTo, time);
        w.WriteNumber("scanned", r.Scanned);
        w.WriteNumber("total", r.Total);
        w.WriteNumber("percent", r.Total == 0 ? 100 : Math.Round(100.0 * r.Scanned / r.Total, 1));
        w.WriteNumber("queued", r.Queued);
        if (progress is not null)
        {
            w.WriteNumber("delivered", progress.Delivered);
            w.WriteNumber("pending", progress.Pending);
            w.WriteNumber("failed", progress.Failed);
        }

        w.WriteString("error", r.Error);
        w.WriteString("created", time.FormatMs(r.Created));
        WriteTime(w, "finished", r.Finished, time);
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, long? ms, CopernicaTime time)
    {
        if (ms is { } v) w.WriteString(name, time.FormatMs(v)); else w.WriteNull(name);
    }
}
