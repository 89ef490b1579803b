using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Audit;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary>A webhook and where its delivery stands (null while no runner delivers for it).</summary>
internal sealed record WebhookDeliveryStatus(WebhookRecord Webhook, RunnerStatus? Runner);

/// <summary>One attempt as stored, the journal records it carried (null: not stored), its body re-rendered, and the deliveries of those records.</summary>
internal sealed record AttemptDetail(AttemptListItem Attempt, IReadOnlyList<long>? Members, RenderedBody Body, IReadOnlyList<DeliveryListItem> Deliveries);

/// <summary>
/// How a webhook's calls went lately: of its newest attempts (at most <see cref="WebhookDeliveryService.SuccessRateAttempts"/>)
/// within <see cref="WebhookDeliveryService.SuccessRateWindow"/>, how many got a 2xx answer.
/// </summary>
internal sealed record SuccessRate(long Attempts, long Succeeded)
{
    /// <summary>Percent of successful attempts; null when there were none in the window.</summary>
    public double? Percent => Attempts == 0 ? null : 100.0 * Succeeded / Attempts;
}

/// <summary>What to send again: one event, one delivery, every failed delivery, or a time range (Unix ms; no end: now).</summary>
internal sealed record ReplayRequest(string? EventId = null, string? DeliveryId = null, bool Failed = false, long? FromMs = null, long? ToMs = null);

/// <summary>
/// A webhook's delivery for every front end: its live status, attempt log and deliveries, replays and their progress,
/// a test call, and "check now" for all webhooks of an account. A webhook of another account is answered as a missing one.
/// </summary>
internal sealed class WebhookDeliveryService(
    WebhookStore webhooks, WebhookDispatcher dispatcher, DeliveryHistoryStore history, WebhookReplays replays, WebhookTester tester,
    AttemptBodies bodies, TimeProvider time, IOptions<DispatchOptions> options, AuditTrail audit)
{
    public const string NothingToReplay = "Say what to replay: event, delivery, failed=true, or from (and to)";
    public const string NoAttempt = "No attempt with supplied ID";

    /// <summary>How far back the success rate looks.</summary>
    public static readonly TimeSpan SuccessRateWindow = TimeSpan.FromHours(24);

    /// <summary>The most attempts the success rate counts (the newest), so that it costs the same for a busy webhook.</summary>
    public const int SuccessRateAttempts = 200;

    /// <summary>The account's webhook with this id, or a rejection saying there is none.</summary>
    public Task<WebhookRecord> RequireWebhookAsync(long accountId, string id, CancellationToken ct) => webhooks.RequireAsync(accountId, id, ct);

    public async Task<WebhookDeliveryStatus> StatusAsync(long accountId, string id, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        return new WebhookDeliveryStatus(webhook, dispatcher.Status(webhook.Id));
    }

    /// <summary>Every call made for the webhook, newest first.</summary>
    public async Task<(IReadOnlyList<AttemptListItem> Items, long Total)> AttemptsAsync(long accountId, string id, long offset, long take, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        return await history.AttemptsAsync(webhook.Id, offset, take, ct);
    }

    /// <summary>
    /// One call made for the webhook as stored, with its request body written again from the journal (the records it
    /// carried, through the sender's own encoder) and the deliveries of those records (to retry a failed one).
    /// </summary>
    public async Task<AttemptDetail> AttemptAsync(long accountId, string id, string attemptId, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        var attempt = await history.AttemptAsync(webhook.Id, attemptId, ct) ?? throw new RequestRejectedException(NoAttempt);
        var members = AttemptMembers.Parse(attempt.Members);
        var body = await bodies.RenderAsync(webhook, members, ct);
        var deliveries = members is null ? [] : await history.DeliveriesOfAsync(webhook.Id, members, ct);
        return new AttemptDetail(attempt, members, body, deliveries);
    }

    /// <summary>The webhook's success rate: the share of 2xx answers among its newest attempts of the last <see cref="SuccessRateWindow"/>.</summary>
    public async Task<SuccessRate> SuccessRateAsync(long accountId, string id, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        var since = time.GetUtcNow().Subtract(SuccessRateWindow).ToUnixTimeMilliseconds();
        var (attempts, succeeded) = await history.OutcomesAsync(webhook.Id, since, SuccessRateAttempts, ct);
        return new SuccessRate(attempts, succeeded);
    }

    /// <summary>The post data a test call of <paramref name="type"/> sends by default: the sample event's fields.</summary>
    public JsonObject SampleData(WebhookRecord webhook, string type) => tester.Sample(webhook, type);

    /// <summary>The webhook's deliveries, all or of one <paramref name="status"/> (pending, failed or delivered; empty: all).</summary>
    public async Task<(IReadOnlyList<DeliveryListItem> Items, long Total)> DeliveriesAsync(long accountId, string id, string status, long offset, long take, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        if (status.Length > 0 && status is not ("pending" or "failed" or "delivered")) throw new RequestRejectedException("Invalid status (expected pending, failed or delivered)");
        return await history.DeliveriesAsync(webhook.Id, status, offset, take, ct);
    }

    /// <summary>Sends one delivery (a failed, pending or delivered one) again now; the replay's id.</summary>
    public async Task<long> RetryDeliveryAsync(WebhookRecord webhook, string deliveryId, CancellationToken ct)
    {
        var replay = await replays.ReplayDeliveryAsync(webhook, deliveryId, ct);
        await audit.RecordAsync(webhook.AccountId, AuditActions.Retried, AuditTargets.Replay, replay, $"webhook {webhook.Id}, delivery {deliveryId}", ct);
        return replay;
    }

    /// <summary>Starts a replay; its id.</summary>
    public async Task<long> ReplayAsync(WebhookRecord webhook, ReplayRequest request, CancellationToken ct)
    {
        var (replay, what) = await StartReplayAsync(webhook, request, ct);
        await audit.RecordAsync(webhook.AccountId, AuditActions.Replayed, AuditTargets.Replay, replay, $"webhook {webhook.Id}, {what}", ct);
        return replay;
    }

    private async Task<(long Id, string What)> StartReplayAsync(WebhookRecord webhook, ReplayRequest request, CancellationToken ct)
    {
        if (request.EventId is { Length: > 0 } eventId) return (await replays.ReplayEventAsync(webhook, eventId, ct), $"event {eventId}");
        if (request.DeliveryId is { Length: > 0 } delivery) return (await replays.ReplayDeliveryAsync(webhook, delivery, ct), $"delivery {delivery}");
        if (request.Failed) return (await replays.ReplayFailedAsync(webhook, ct), "failed deliveries");
        if (request.FromMs is { } from)
        {
            var to = request.ToMs ?? time.GetUtcNow().ToUnixTimeMilliseconds();
            return (await replays.ReplayRangeAsync(webhook, from, to, ct), $"events from {from} to {to} (Unix ms)");
        }

        throw new RequestRejectedException(NothingToReplay);
    }

    /// <summary>The webhook's replays, newest first.</summary>
    public async Task<(IReadOnlyList<ReplayRecord> Items, long Total)> ReplaysAsync(long accountId, string id, long offset, long take, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        return await replays.ListAsync(webhook.Id, offset, take, ct);
    }

    /// <summary>A replay with its progress.</summary>
    public async Task<(ReplayRecord Replay, ReplayProgress Progress)> GetReplayAsync(long accountId, string id, string replayId, CancellationToken ct)
    {
        var webhook = await webhooks.RequireAsync(accountId, id, ct);
        return await replays.RequireAsync(webhook.Id, replayId, ct);
    }

    /// <summary>
    /// Calls the webhook now with a sample event of <paramref name="type"/> or the caller's own <paramref name="data"/>.
    /// A handler whose domain is not validated is not called: that is a rejection saying why.
    /// </summary>
    public async Task<WebhookTestResult> TestAsync(WebhookRecord webhook, string? type, JsonNode? data, CancellationToken ct)
    {
        var result = await tester.TestAsync(webhook, type, data, ct);
        if (!result.Validated) throw new RequestRejectedException(result.Error!);
        return result;
    }

    /// <summary>"Check now": a test call to every webhook of the account, at most <see cref="DispatchOptions.CheckConcurrency"/> at a time.</summary>
    public async Task<IReadOnlyList<WebhookTestResult>> CheckAllAsync(long accountId, CancellationToken ct)
    {
        var (all, _) = await webhooks.ListAsync(accountId, 0, int.MaxValue, ct);
        var results = new List<WebhookTestResult>();
        foreach (var chunk in all.Chunk(options.Value.CheckConcurrency))
        {
            results.AddRange(await Task.WhenAll(chunk.Select(x => tester.TestAsync(x, null, null, ct))));
        }

        return results;
    }
}
