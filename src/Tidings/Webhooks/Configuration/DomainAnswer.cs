using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;
using Tidings.Webhooks.Domains;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// A claimed domain with what to publish to prove it (the TXT record, the verification file); <c>message</c>, what a
/// check found, only in the answer to a check.
/// </summary>
internal sealed record DomainAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Domain,
    bool Validated,
    string? ValidatedAt,
    string? Method,
    DomainDnsAnswer Dns,
    DomainFileAnswer File,
    string Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message)
{
    public static DomainAnswer From(DomainRecord d, CopernicaTime time, string? message = null) => new(
        d.Id.ToString(CultureInfo.InvariantCulture),
        d.Domain,
        d.ValidatedAt is not null,
        d.ValidatedAt is { } at ? time.FormatMs(at) : null,
        d.Method,
        new DomainDnsAnswer("TXT", d.TxtName, d.TxtValue),
        new DomainFileAnswer(d.FileName, d.FileContent, $"https://{d.Domain}/{d.FileName}, or the folder of a webhook handler under {d.Domain}"),
        time.FormatMs(d.Created),
        message);
}

internal sealed record DomainDnsAnswer(string Type, string Name, string Value);

internal sealed record DomainFileAnswer(string Name, string Content, string Where);
