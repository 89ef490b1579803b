using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Audit;

/// <summary>One item of <c>GET audit</c>: ids as strings and the time as Copernica writes times, like <c>GET notices</c>.</summary>
internal sealed record AuditAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Time,
    string ActorKind,
    string Actor,
    string Action,
    string TargetType,
    string TargetId,
    string Detail)
{
    public static AuditAnswer From(AuditEntry e, CopernicaTime time) => new(
        e.Id.ToString(CultureInfo.InvariantCulture), time.FormatMs(e.Created), e.ActorKind, e.Actor, e.Action, e.TargetType, e.TargetId, e.Detail);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Page<AuditAnswer>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
