using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary><c>GET webhook/{id}/status</c> of a webhook no runner delivers for (disabled, or not yet picked up).</summary>
internal sealed record WebhookStatusAnswer(
    [property: JsonPropertyName("ID")] string Id,
    bool Running,
    bool Enabled,
    string? DisabledReason,
    string? FailingSince,
    string? LastSuccess,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LostEventsAnswer? Lost)
{
    public static WebhookStatusAnswer From(WebhookRecord webhook, CopernicaTime time) => new(
        webhook.Id.ToString(CultureInfo.InvariantCulture), false, webhook.Enabled, webhook.DisabledReason,
        time.FormatMsOrNull(webhook.FailingSince), time.FormatMsOrNull(webhook.LastSuccess), LostEventsAnswer.Of(webhook, time));
}

/// <summary>
/// <c>lost</c> in a webhook's status: waiting events that retention removed while the webhook was disabled for longer
/// than <c>Webhooks:Dispatch:DisabledHold</c> (journal seq range, and when the last was lost). Absent when none.
/// </summary>
internal sealed record LostEventsAnswer(long Events, long FromSeq, long ToSeq, string At)
{
    public static LostEventsAnswer? Of(WebhookRecord webhook, CopernicaTime time) =>
        webhook is { LostEvents: > 0, LostFrom: { } from, LostTo: { } to, LostAt: { } at } ? new(webhook.LostEvents, from, to, time.FormatMs(at)) : null;
}

/// <summary>
/// <c>GET webhook/{id}/status</c> of a running webhook: the same keys, then where its runner stands (a record of its
/// own because <c>paused_until</c> is null here but absent when no runner is).
/// </summary>
internal sealed record RunningWebhookStatusAnswer(
    [property: JsonPropertyName("ID")] string Id,
    bool Running,
    bool Enabled,
    string? DisabledReason,
    string? FailingSince,
    string? LastSuccess,
    int Queued,
    long Cursor,
    long JournalHead,
    long Behind,
    int FailuresInARow,
    string? PausedUntil,
    double RatePerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LostEventsAnswer? Lost)
{
    public static RunningWebhookStatusAnswer From(WebhookRecord webhook, RunnerStatus status, CopernicaTime time) => new(
        webhook.Id.ToString(CultureInfo.InvariantCulture), true, webhook.Enabled, webhook.DisabledReason,
        time.FormatMsOrNull(webhook.FailingSince), time.FormatMsOrNull(webhook.LastSuccess),
        status.Queued, status.Cursor, status.JournalHead, Math.Max(0, status.JournalHead - status.ReadUpTo), status.FailuresInARow,
        time.FormatMsOrNull(status.PausedUntil), Math.Round(status.Rate, 2), LostEventsAnswer.Of(webhook, time));
}
