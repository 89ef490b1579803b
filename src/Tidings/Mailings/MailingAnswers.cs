using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Mailings;

/// <summary>A mailing as <c>GET ms/emailing/{id}</c> and <c>GET ms/emailings</c> answer it; tags and links are written as stored.</summary>
internal sealed record MailingAnswer(
    string Id,
    string Timestamp,
    string Template,
    string Subject,
    [property: JsonPropertyName("from_address")] FromAddressAnswer FromAddress,
    long Destinations,
    string Type,
    MailingTargetAnswer Target,
    RawJson Tags,
    [property: JsonPropertyName("senderdomain")] string SenderDomain,
    string Status,
    RawJson Links)
{
    public static MailingAnswer From(MailingRecord m, CopernicaTime time) => new(
        RestIds.Text(m.Id), time.FormatMs(m.Created), RestIds.Text(m.TemplateId), m.Subject, new FromAddressAnswer(m.FromName, m.FromEmail),
        m.Destinations, m.Type, new MailingTargetAnswer(m.TargetType, [new TargetSourceAnswer(RestIds.Text(m.TargetId), m.TargetType)]),
        new RawJson(m.Tags), m.SenderDomain, m.Status, new RawJson(m.Links));
}

internal sealed record FromAddressAnswer(string Name, string Email);

internal sealed record MailingTargetAnswer(string Type, IReadOnlyList<TargetSourceAnswer> Sources);

internal sealed record TargetSourceAnswer(string Id, string Type);

/// <summary>One message of a mailing, with the tracking addresses the mail transfer agent puts in it.</summary>
internal sealed record DestinationAnswer(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("messageID")] string MessageId,
    [property: JsonPropertyName("timestampsent")] string TimestampSent,
    string Profile,
    string? Subprofile,
    string Mailing,
    string Email,
    TrackingAnswer Tracking)
{
    /// <summary>The stored links of a mailing, in order: a link's index is its number in the click address.</summary>
    public static IReadOnlyList<string> LinksOf(MailingRecord m) =>
        (JsonNode.Parse(m.Links) as JsonArray ?? []).Select(l => l!.GetValue<string>()).ToList();

    public static DestinationAnswer From(DestinationRecord d, IReadOnlyList<string> links, string baseUrl, CopernicaTime time) => new(
        RestIds.Text(d.Id), d.MessageId, time.FormatMs(d.Sent), RestIds.Text(d.ProfileId), d.SubprofileId is { } s ? RestIds.Text(s) : null,
        RestIds.Text(d.MailingId), d.Email,
        new TrackingAnswer(
            TrackingUrls.Open(baseUrl, d.Token),
            TrackingUrls.Unsubscribe(baseUrl, d.Token),
            links.Select((url, i) => new TrackedLinkAnswer(url, TrackingUrls.Click(baseUrl, d.Token, i))).ToList()));
}

internal sealed record TrackingAnswer(string Open, string Unsubscribe, IReadOnlyList<TrackedLinkAnswer> Links);

internal sealed record TrackedLinkAnswer(string Url, string Tracked);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MailingAnswer))]
[JsonSerializable(typeof(Page<MailingAnswer>))]
[JsonSerializable(typeof(DestinationAnswer))]
[JsonSerializable(typeof(Page<DestinationAnswer>))]
internal sealed partial class MailingJsonContext : JsonSerializerContext;
