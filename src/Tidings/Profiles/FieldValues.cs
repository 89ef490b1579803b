using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tidings.Profiles;

/// <summary>
/// A profile's or subprofile's field values as one flat object, keys in field order. The keys are data (the field
/// names), so a converter writes them; a removed row shows every value as "".
/// </summary>
[JsonConverter(typeof(FieldValuesConverter))]
internal sealed record FieldValues(IReadOnlyList<FieldDefinition> Fields, IReadOnlyList<string> Values)
{
    public static FieldValues Of(ValueTable table, ValueRow row) =>
        new(table.Fields.All, row.IsRemoved ? Enumerable.Repeat("", table.Fields.All.Count).ToArray() : row.Values);
}

internal sealed class FieldValuesConverter : JsonConverter<FieldValues>
{
    public override FieldValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Field values are only written");

    public override void Write(Utf8JsonWriter writer, FieldValues value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Fields.Count; i++) writer.WriteString(value.Fields[i].Name, value.Values[i]);
        writer.WriteEndObject();
    }
}
