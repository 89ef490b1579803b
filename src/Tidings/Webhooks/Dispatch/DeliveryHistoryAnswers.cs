using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Webhooks.Dispatch;

/// <summary>One item of <c>GET webhook/{id}/attempts</c>: a call made, with its status (null: no answer) and latency.</summary>
internal sealed record AttemptAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Event,
    long Events,
    long Attempt,
    string Time,
    long? Status,
    bool Success,
    long LatencyMs,
    string? Error,
    string? Response,
    string? RemoteIp)
{
    public static AttemptAnswer From(AttemptListItem a, CopernicaTime time) => new(
        a.Id.ToString(CultureInfo.InvariantCulture), a.EventId, a.Events, a.Attempt, time.FormatMs(a.Attempted), a.Status,
        a.Status is >= 200 and < 300, a.LatencyMs, a.Error, a.Response, a.RemoteIp);
}

/// <summary>One item of <c>GET webhook/{id}/deliveries</c>; <c>next_attempt</c> only while it is pending.</summary>
internal sealed record DeliveryAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Event,
    string Status,
    long Attempts,
    string? FirstAttempt,
    string? LastAttempt,
    string? NextAttempt,
    long? LastStatus,
    string? LastError,
    string? Replay)
{
    public static DeliveryAnswer From(DeliveryListItem d, CopernicaTime time) => new(
        d.Id.ToString(CultureInfo.InvariantCulture), d.EventId, d.Status, d.Attempts,
        time.FormatMsOrNull(d.FirstAttempt), time.FormatMsOrNull(d.LastAttempt), time.FormatMsOrNull(d.Status == "pending" ? d.NextAttempt : null),
        d.LastStatus, d.LastError, d.ReplayId?.ToString(CultureInfo.InvariantCulture));
}
