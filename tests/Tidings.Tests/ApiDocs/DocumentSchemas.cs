using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// Checks JSON the server sent against a schema of its OpenAPI document: the subset of JSON Schema the document uses
/// ($ref, type, enum, pattern, minimum/maximum, properties, required, additionalProperties, items, oneOf, anyOf).
/// Stricter than JSON Schema in one way, on purpose: an object schema with properties and no additionalProperties is
/// closed, so a key the server sends but the document does not list is reported.
/// </summary>
public sealed class DocumentSchemas(JsonObject document)
{
    public JsonObject Document { get; } = document;

    /// <summary>The schema of an operation's answer, or null when the document gives that answer no JSON body.</summary>
    public JsonNode? ResponseSchema(string method, string path, int status)
    {
        var response = Document["paths"]?[path]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response?["$ref"] is { } reference) response = Resolve(reference.GetValue<string>());
        return response?["content"]?["application/json"]?["schema"];
    }

    /// <summary>What is wrong with <paramref name="value"/> against <paramref name="schema"/>; empty when it fits.</summary>
    public List<string> Problems(JsonNode? value, JsonNode schema)
    {
        var problems = new List<string>();
        Check(value, schema, "$", problems);
        return problems;
    }

    public JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidOperationException("Only local references are expected: " + reference);
        JsonNode? node = Document;
        foreach (var part in reference[2..].Split('/')) node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        return node ?? throw new InvalidOperationException("Unresolved reference " + reference);
    }

    private void Check(JsonNode? value, JsonNode schema, string at, List<string> problems)
    {
        if (schema["$ref"] is { } reference) schema = Resolve(reference.GetValue<string>());

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var fits = oneOf.Count(s => Problems(value, s!).Count == 0);
            if (fits != 1) problems.Add($"{at}: fits {fits} of the oneOf alternatives, not exactly one: {Text(value)}");
            return;
        }

        if (schema["anyOf"] is JsonArray anyOf)
        {
            if (!anyOf.Any(s => Problems(value, s!).Count == 0)) problems.Add($"{at}: fits none of the anyOf alternatives: {Text(value)}");
            return;
        }

        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => Fits(t, value, kind)))
            {
                problems.Add($"{at}: {kind} {Text(value)} is not {string.Join(" or ", allowed)}");
                return;
            }
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            problems.Add($"{at}: {Text(value)} is not one of {values.ToJsonString()}");
        }

        switch (kind)
        {
            case JsonValueKind.String when schema["pattern"] is { } pattern && !Regex.IsMatch(value!.GetValue<string>(), pattern.GetValue<string>()):
                problems.Add($"{at}: {Text(value)} does not match {pattern}");
                break;
            case JsonValueKind.Number:
                var number = value!.GetValue<decimal>();
                if (schema["minimum"] is { } min && number < min.GetValue<decimal>()) problems.Add($"{at}: {number} is below {min}");
                if (schema["maximum"] is { } max && number > max.GetValue<decimal>()) problems.Add($"{at}: {number} is above {max}");
                break;
            case JsonValueKind.Array when schema["items"] is { } items:
                var index = 0;
                foreach (var item in value!.AsArray()) Check(item, items, $"{at}[{index++}]", problems);
                break;
            case JsonValueKind.Object:
                CheckObject(value!.AsObject(), schema, at, problems);
                break;
        }
    }

    private void CheckObject(JsonObject value, JsonNode schema, string at, List<string> problems)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
        {
            if (!value.ContainsKey(name)) problems.Add($"{at}: required key '{name}' is missing");
        }

        foreach (var (name, item) in value)
        {
            if (properties?[name] is { } property) Check(item, property, $"{at}.{name}", problems);
            else if (schema["additionalProperties"] is { } additional) Check(item, additional, $"{at}.{name}", problems);
            else if (properties is not null) problems.Add($"{at}: key '{name}' is not in the document");
        }
    }

    private static bool Fits(string type, JsonNode? value, JsonValueKind kind) => type switch
    {
        "null" => kind == JsonValueKind.Null,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && value!.GetValue<decimal>() % 1 == 0,
        "array" => kind == JsonValueKind.Array,
        "object" => kind == JsonValueKind.Object,
        _ => throw new InvalidOperationException("Unexpected schema type " + type),
    };

    private static string Text(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
