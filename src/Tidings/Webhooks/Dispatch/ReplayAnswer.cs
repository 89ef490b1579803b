using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// A replay: how much of the journal it has scanned and how many deliveries it queued; <c>delivered</c>,
/// <c>pending</c> and <c>failed</c> only for one replay (<c>GET webhook/{id}/replay/{replayId}</c>), not in the list.
/// </summary>
internal sealed record ReplayAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Kind,
    string Status,
    string? From,
    string? To,
    long Scanned,
    long Total,
    double Percent,
    long Queued,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Delivered,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Pending,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Failed,
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Lost,
    string Created,
    string? Finished)
{
    public static ReplayAnswer Of(ReplayRecord r, ReplayProgress? progress, CopernicaTime time) => new(
        r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Status, time.FormatMsOrNull(r.RangeFrom), time.FormatMsOrNull(r.RangeTo),
        r.Scanned, r.Total, r.Total == 0 ? 100 : Math.Round(100.0 * r.Scanned / r.Total, 1), r.Queued,
        progress?.Delivered, progress?.Pending, progress?.Failed, r.Error, r.Lost, time.FormatMs(r.Created), time.FormatMsOrNull(r.Finished));
}
