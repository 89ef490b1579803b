using System.Text.Json;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>The <c>removed</c> of a profile or subprofile: the local time it was removed, or <c>false</c> while it exists.</summary>
[JsonConverter(typeof(RemovalConverter))]
internal readonly record struct Removal(string? At)
{
    public static Removal Of(ValueRow row, CopernicaTime time) => new(row.Removed is { } removed ? time.FormatMs(removed) : null);
}

internal sealed class RemovalConverter : JsonConverter<Removal>
{
    public override Removal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.TokenType == JsonTokenType.String ? reader.GetString() : null);

    public override void Write(Utf8JsonWriter writer, Removal value, JsonSerializerOptions options)
    {
        if (value.At is { } at) writer.WriteStringValue(at); else writer.WriteBooleanValue(false);
    }
}
