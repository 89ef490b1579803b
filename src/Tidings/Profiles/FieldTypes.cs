using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>
/// Copernica's field types and how a value given for one is normalised. Copernica never rejects a field value: it
/// converts it (reference: the behaviour observed by the rmuit/copernica-api test suite).
/// </summary>
internal static class FieldTypes
{
    public static readonly IReadOnlyList<string> All =
    [
        "integer", "float", "date", "empty_date", "datetime", "empty_datetime", "text", "email", "phone", "phone_fax",
        "phone_gsm", "select", "big", "foreign_key",
    ];

    /// <summary>Types that may appear at most once per database.</summary>
    public static readonly IReadOnlyList<string> Unique = ["email", "phone_fax", "phone_gsm"];

    public static bool IsKnown(string type) => All.Contains(type);

    public static bool IsInteger(string type) => type is "integer" or "foreign_key";

    public static bool IsFloat(string type) => type == "float";

    public static bool IsNumeric(string type) => IsInteger(type) || IsFloat(type);

    /// <summary>The value a field has when nothing (or nothing usable) was given.</summary>
    public static string EmptyValue(string type) => type switch
    {
        "integer" or "foreign_key" or "float" => "0",
        "date" => "0000-00-00",
        "datetime" => "0000-00-00 00:00:00",
        _ => "",
    };

    /// <summary>Normalises a JSON value for a field; the result is the field's stored text form.</summary>
    public static string Normalize(FieldDefinition field, JsonNode? value, CopernicaTime time) => Normalize(field.Type, field.DefaultValue, ToScalarText(value), time, IsNonEmptyArray(value));

    /// <param name="time">The API's time zone, and the clock that words like <c>today</c> are read against.</param>
    public static string Normalize(string type, string selectChoices, string? text, CopernicaTime time, bool nonEmptyArray = false)
    {
        switch (type)
        {
            case "integer":
            case "foreign_key":
                if (text is null) return nonEmptyArray ? "1" : "0";
                return QueryValues.PhpInt(text).ToString(CultureInfo.InvariantCulture);
            case "float":
                if (text is null) return nonEmptyArray ? "1" : "0";
                return QueryValues.PhpFloat(text).ToString("R", CultureInfo.InvariantCulture);
            case "date":
            case "empty_date":
            {
                var parsed = text is null ? null : LooseDate.Parse(text, time.Zone, DateTimeOffset.FromUnixTimeMilliseconds(time.NowMs()));
                return parsed is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : (type == "date" ? "0000-00-00" : "");
            }

            case "datetime":
            case "empty_datetime":
            {
                var parsed = text is null ? null : LooseDate.Parse(text, time.Zone, DateTimeOffset.FromUnixTimeMilliseconds(time.NowMs()));
                return parsed is { } d ? d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : (type == "datetime" ? "0000-00-00 00:00:00" : "");
            }

            case "select":
                if (text is null) return "";
                foreach (var choice in SelectChoices(selectChoices))
                {
                    if (string.Equals(choice, text, StringComparison.Ordinal)) return text;
                }

                return "";
            default:
                return text ?? "";
        }
    }

    /// <summary>The choices of a select field, kept in its <c>value</c> separated by newlines.</summary>
    public static IEnumerable<string> SelectChoices(string value) =>
        value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(c => c.TrimEnd()).Where(c => c.Length > 0);

    /// <summary>The default value a new profile gets for a field.</summary>
    public static string DefaultFor(FieldDefinition field, CopernicaTime time) =>
        field.Type == "select"
            ? SelectChoices(field.DefaultValue).FirstOrDefault() ?? ""
            : Normalize(field.Type, field.DefaultValue, field.DefaultValue, time);

    /// <summary>
    /// A JSON value as PHP would see it as a string: strings as they are, numbers as PHP prints them
    /// (<see cref="PhpNumberText"/>), true as "1", false as ""; objects, arrays and null give null (no scalar).
    /// </summary>
    public static string? ToScalarText(JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => PhpNumberText(v.ToJsonString()),
            JsonValueKind.True => "1",
            JsonValueKind.False => "",
            _ => null,
        };
    }

    /// <summary>
    /// A JSON number as PHP's <c>json_decode</c> and string conversion give it: an integer that fits 64 bits as it is,
    /// anything else as a float with PHP's 14 significant digits (<c>12.50</c> → <c>12.5</c>, <c>1e25</c> →
    /// <c>1.0E+25</c>, <c>1e400</c> → <c>INF</c>).
    /// </summary>
    public static string PhpNumberText(string json)
    {
        if (long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) return whole.ToString(CultureInfo.InvariantCulture);
        var number = double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(number)) return number > 0 ? "INF" : "-INF";
        var text = number.ToString("G14", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        var mantissa = text[..e].Contains('.', StringComparison.Ordinal) ? text[..e] : text[..e] + ".0";
        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{mantissa}E{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent).ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool IsNonEmptyArray(JsonNode? value) => value is JsonArray { Count: > 0 } or JsonObject { Count: > 0 };

    /// <summary>A stored value read back for output: Copernica returns every field value as a string.</summary>
    public static string Output(object? stored) => stored switch
    {
        null => "",
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(stored, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The text form of a value turned into what the typed column stores.</summary>
    public static object ToColumnValue(string type, string normalized) => type switch
    {
        "integer" or "foreign_key" => long.Parse(normalized, CultureInfo.InvariantCulture),
        "float" => double.Parse(normalized, CultureInfo.InvariantCulture),
        _ => normalized,
    };
}
