using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// HTTP headers of a test call as a JSON object, header name → value, in the order the dictionary gives them (the
/// converter walks it as the hand-written answer did, so no serializer dictionary handling comes in between).
/// </summary>
[JsonConverter(typeof(HeadersAnswerConverter))]
internal readonly record struct HeadersAnswer(IReadOnlyDictionary<string, string> Values);

internal sealed class HeadersAnswerConverter : JsonConverter<HeadersAnswer>
{
    public override HeadersAnswer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Headers are only written.");

    public override void Write(Utf8JsonWriter writer, HeadersAnswer value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, text) in value.Values) writer.WriteString(name, text);
        writer.WriteEndObject();
    }
}
