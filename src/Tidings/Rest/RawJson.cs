using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tidings.Rest;

/// <summary>
/// JSON text stored as it was given (a database's <c>intentions</c>, an unsubscribe behaviour's <c>fields</c>) and
/// written back unchanged; blank text is written as <c>{}</c>.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal readonly record struct RawJson(string Text);

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(string.IsNullOrWhiteSpace(value.Text) ? "{}" : value.Text);
}
