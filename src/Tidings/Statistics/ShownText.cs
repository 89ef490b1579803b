using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tidings.Statistics;

/// <summary>
/// A key some event lists show and others leave out (<c>profile</c>, <c>subprofile</c>): its default is left out
/// (with <c>JsonIgnoreCondition.WhenWritingDefault</c>), a shown one is written as its text or as null.
/// </summary>
[JsonConverter(typeof(ShownTextConverter))]
internal readonly record struct ShownText(bool Shown, string? Value)
{
    public static ShownText Of(string? value) => new(true, value);

    public static ShownText When(bool shown, string? value) => shown ? Of(value) : default;
}

internal sealed class ShownTextConverter : JsonConverter<ShownText>
{
    public override ShownText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ShownText.Of(reader.TokenType == JsonTokenType.Null ? null : reader.GetString());

    public override void Write(Utf8JsonWriter writer, ShownText value, JsonSerializerOptions options)
    {
        if (value.Value is null) writer.WriteNullValue(); else writer.WriteStringValue(value.Value);
    }
}
