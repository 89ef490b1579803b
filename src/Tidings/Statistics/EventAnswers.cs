using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Journal;
using Tidings.Rest;

namespace Tidings.Statistics;

/// <summary>Which events an event list shows: it decides the keys about the profile (and unsubscribes' <c>success</c>).</summary>
internal enum ListScope { Account, Mailing, Destination }

/// <summary>
/// The keys every event shows, as Copernica's event lists have them. <c>profile</c> and <c>subprofile</c> are shown
/// in a mailing's lists and in a destination's lists except its unsubscribes.
/// </summary>
internal sealed record EventBasics(string Id, string Mailing, string Timestamp, string Destination, ShownText Profile, ShownText Subprofile)
{
    public static EventBasics From(EventRow e, EventPayload payload, bool withProfile, CopernicaTime time) => new(
        Text(e.Seq), Text(e.MailingId), time.FormatMs(e.Occurred), Text(e.DestinationId),
        ShownText.When(withProfile, payload.Text("profile")), ShownText.When(withProfile, payload.Text("subprofile")));

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}

internal sealed record DeliveryEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string Timestamp, long Attempts, string Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static DeliveryEventAnswer From(EventBasics b, EventPayload p) => new(
        b.Id, b.Mailing, b.Timestamp, long.TryParse(p.Text("attempts"), CultureInfo.InvariantCulture, out var attempts) ? attempts : 0, b.Destination, b.Profile, b.Subprofile);
}

internal sealed record ImpressionEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string Timestamp, string? Ip,
    [property: JsonPropertyName("useragent")] string? UserAgent, string Device, string Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static ImpressionEventAnswer From(EventBasics b, EventPayload p)
    {
        var userAgent = p.Text("useragent");
        return new(b.Id, b.Mailing, b.Timestamp, p.Text("ip"), userAgent, Devices.FromUserAgent(userAgent), b.Destination, b.Profile, b.Subprofile);
    }
}

internal sealed record ClickEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string? Link, string Timestamp, string? Ip,
    [property: JsonPropertyName("useragent")] string? UserAgent, string Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static ClickEventAnswer From(EventBasics b, EventPayload p) => new(
        b.Id, b.Mailing, p.Text("url"), b.Timestamp, p.Text("ip"), p.Text("useragent"), b.Destination, b.Profile, b.Subprofile);
}

internal sealed record ErrorEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string Timestamp, string? Status,
    [property: JsonPropertyName("errorcode")] string ErrorCode, string Description,
    [property: JsonPropertyName("errortype")] string ErrorType, string Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static ErrorEventAnswer From(EventBasics b, EventPayload p, string type) => new(
        b.Id, b.Mailing, b.Timestamp, p.Text("status"), p.Text("code") ?? "0", p.Text("description") ?? "", ErrorTypeOf(type, p), b.Destination, b.Profile, b.Subprofile);

    /// <summary>A failure's own <c>errortype</c>; for a DSN bounce, hard (5.x.x) or soft (4.x.x) from its status.</summary>
    private static string ErrorTypeOf(string type, EventPayload p)
    {
        if (p.Text("errortype") is { } given) return given;
        if (type != EventTypes.Bounce) return "";
        var status = p.Text("status") ?? "";
        return status.StartsWith('5') ? "hard" : status.StartsWith('4') ? "soft" : "";
    }
}

internal sealed record AbuseEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string Timestamp, RawJson Report, string Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static AbuseEventAnswer From(EventBasics b, EventPayload p) => new(b.Id, b.Mailing, b.Timestamp, p.Report(), b.Destination, b.Profile, b.Subprofile);
}

/// <summary>An unsubscribe; a mailing's list adds <c>success</c> (always true: the unsubscribe was carried out).</summary>
internal sealed record UnsubscribeEventAnswer(
    [property: JsonPropertyName("ID")] string Id, string Mailing, string Timestamp, string Destination, string? Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Success,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ShownText Subprofile)
{
    public static UnsubscribeEventAnswer From(EventBasics b, EventPayload p, ListScope scope) => new(
        b.Id, b.Mailing, b.Timestamp, b.Destination, p.Text("source"), scope == ListScope.Mailing ? true : null, b.Profile, b.Subprofile);
}

/// <summary>A page of an event list, each event with the keys of its list.</summary>
internal static class EventAnswers
{
    public static IResult Page(Paging paging, IReadOnlyList<EventRow> items, long? total, string list, ListScope scope, CopernicaTime time)
    {
        var withProfile = scope == ListScope.Mailing || (scope == ListScope.Destination && list != MailingCounters.Unsubscribes);
        List<T> Map<T>(Func<EventBasics, EventPayload, EventRow, T> answer) => items.Select(e =>
        {
            var payload = EventPayload.Parse(e.Payload);
            return answer(EventBasics.From(e, payload, withProfile, time), payload, e);
        }).ToList();

        var json = StatisticsJsonContext.Default;
        return list switch
        {
            MailingCounters.Deliveries => CopernicaJson.Json(paging.Page(Map((b, p, _) => DeliveryEventAnswer.From(b, p)), total), json.PageDeliveryEventAnswer),
            MailingCounters.Impressions => CopernicaJson.Json(paging.Page(Map((b, p, _) => ImpressionEventAnswer.From(b, p)), total), json.PageImpressionEventAnswer),
            MailingCounters.Clicks => CopernicaJson.Json(paging.Page(Map((b, p, _) => ClickEventAnswer.From(b, p)), total), json.PageClickEventAnswer),
            MailingCounters.Errors => CopernicaJson.Json(paging.Page(Map((b, p, e) => ErrorEventAnswer.From(b, p, e.Type)), total), json.PageErrorEventAnswer),
            MailingCounters.Abuses => CopernicaJson.Json(paging.Page(Map((b, p, _) => AbuseEventAnswer.From(b, p)), total), json.PageAbuseEventAnswer),
            MailingCounters.Unsubscribes => CopernicaJson.Json(paging.Page(Map((b, p, _) => UnsubscribeEventAnswer.From(b, p, scope)), total), json.PageUnsubscribeEventAnswer),
            _ => throw new ArgumentOutOfRangeException(nameof(list), list, "not an event list"),
        };
    }
}
