using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tidings.Rest;

/// <summary>
/// Turns a parsed JSON document into a <see cref="JsonNode"/> tree the way PHP's <c>json_decode</c> reads it: a key
/// given twice in one object keeps its first place and its last value. Every key and string is decoded on the way, so
/// text that is not valid Unicode (invalid UTF-8, or a lone UTF-16 surrogate escape such as <c>\ud800</c>) is refused
/// here with a <see cref="JsonException"/> naming where it is, instead of failing later when the value is read.
/// </summary>
internal static class JsonTree
{
    /// <summary>
    /// The tree of <paramref name="element"/>. Duplicate keys are added to <paramref name="duplicates"/> (by path,
    /// such as <c>fields.email</c>) or, when it is null, refused with a <see cref="JsonException"/>.
    /// </summary>
    public static JsonNode? From(JsonElement element, List<string>? duplicates) => From(element, duplicates, "");

    private static JsonNode? From(JsonElement element, List<string>? duplicates, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var name = PropertyName(property, path);
                    var childPath = path.Length == 0 ? name : path + "." + name;
                    var value = From(property.Value, duplicates, childPath);
                    if (o.ContainsKey(name))
                    {
                        if (duplicates is null) throw new JsonException($"the key '{childPath}' is given twice");
                        duplicates.Add(childPath);
                    }

                    o[name] = value;
                }

                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                var i = 0;
                foreach (var item in element.EnumerateArray()) a.Add(From(item, duplicates, $"{path}[{i++}]"));
                return a;
            case JsonValueKind.String:
                try
                {
                    return JsonValue.Create(element.GetString()!);
                }
                catch (InvalidOperationException)
                {
                    throw new JsonException($"the value{Where(path)}{Problem(JsonMarshal.GetRawUtf8Value(element))}");
                }

            default:
                // Numbers keep their text as sent (PHP-style casts read it later); true, false and null as they are.
                return JsonValue.Create(element);
        }
    }

    private static string PropertyName(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            var inside = path.Length == 0 ? "at the top level" : $"in '{path}'";
            throw new JsonException($"a key {inside}{Problem(JsonMarshal.GetRawUtf8PropertyName(property))}");
        }
    }

    private static string Where(string path) => path.Length == 0 ? "" : $" of '{path}'";

    private static string Problem(ReadOnlySpan<byte> raw) => System.Text.Unicode.Utf8.IsValid(raw)
        ? " holds a lone UTF-16 surrogate escape (such as \\ud800), which is no character"
        : " is not valid UTF-8";
}
