using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Statistics;

/// <summary>The facts a journal event was stored with, read the way the event lists show them.</summary>
internal sealed class EventPayload(JsonObject facts)
{
    /// <summary>Relaxed escaping, as the answer's own writer: a stored report comes back with its text unescaped.</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static EventPayload Parse(string payload) => new(JsonNode.Parse(payload) as JsonObject ?? []);

    /// <summary>A fact as text: a string as it is, another value as its JSON; null when missing or null.</summary>
    public string? Text(string key) => facts[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    /// <summary>An abuse report (an object; anything else shows as <c>{}</c>).</summary>
    public RawJson Report() => new(facts["report"] is JsonObject report ? report.ToJsonString(Relaxed) : "{}");
}
