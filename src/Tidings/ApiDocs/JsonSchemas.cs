using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Tidings.ApiDocs;

/// <summary>
/// Short constructors for the JSON schemas of the document, so that a shape reads like the JSON it describes.
/// In <see cref="Object"/>, a property name ending in <c>?</c> is optional; every other property is always present.
/// </summary>
internal static class JsonSchemas
{
    public static OpenApiSchema String(string? description = null) => new() { Type = JsonSchemaType.String, Description = description };

    public static OpenApiSchema NullableString(string? description = null) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };

    public static OpenApiSchema Integer(string? description = null) => new() { Type = JsonSchemaType.Integer, Format = "int64", Description = description };

    public static OpenApiSchema NullableInteger(string? description = null) => new() { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64", Description = description };

    public static OpenApiSchema Number(string? description = null) => new() { Type = JsonSchemaType.Number, Description = description };

    public static OpenApiSchema Boolean(string? description = null) => new() { Type = JsonSchemaType.Boolean, Description = description };

    public static OpenApiSchema Range(long minimum, long maximum, string? description = null) => new()
    {
        Type = JsonSchemaType.Integer, Format = "int64", Description = description,
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Copernica sends ids as strings of digits.</summary>
    public static OpenApiSchema Id(string? description = null) => new()
    {
        Type = JsonSchemaType.String, Pattern = "^[0-9]+$", Description = description ?? "Numeric id, as a string.", Examples = [JsonValue.Create("42")],
    };

    public static OpenApiSchema NullableId(string? description = null) => new()
    {
        Type = JsonSchemaType.String | JsonSchemaType.Null, Pattern = "^[0-9]+$", Description = description,
    };

    /// <summary>Copernica's timestamps: local time of <c>Rest:TimeZone</c>, to the second.</summary>
    public static OpenApiSchema Time(string? description = null) => new()
    {
        Type = JsonSchemaType.String, Pattern = TimePattern, Examples = [JsonValue.Create("2026-03-24 11:07:12")],
        Description = description ?? "Local time (setting Rest:TimeZone), YYYY-MM-DD HH:MM:SS.",
    };

    public static OpenApiSchema NullableTime(string? description = null) => new()
    {
        Type = JsonSchemaType.String | JsonSchemaType.Null, Pattern = TimePattern,
        Description = description ?? "Local time (setting Rest:TimeZone), YYYY-MM-DD HH:MM:SS; null when there is none.",
    };

    /// <summary>A value as Copernica takes it: a string, a number or a boolean, stored as text.</summary>
    public static OpenApiSchema AnyValue(string? description = null) => new()
    {
        Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean, Description = description,
    };

    /// <summary>A yes/no input: true/false, 1/0 or yes/no (Copernica's rules for booleans).</summary>
    public static OpenApiSchema Flag(string? description = null) => new()
    {
        Type = JsonSchemaType.Boolean | JsonSchemaType.Integer | JsonSchemaType.String,
        Description = (description is null ? "" : description + " ") + "true, 1 or yes; false, 0 or anything else.",
    };

    public static OpenApiSchema Enum(params string[] values) => new()
    {
        Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
    };

    public static OpenApiSchema Enum(string description, IEnumerable<string> values) => new()
    {
        Type = JsonSchemaType.String, Description = description, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
    };

    public static OpenApiSchema ArrayOf(IOpenApiSchema items, string? description = null) => new() { Type = JsonSchemaType.Array, Items = items, Description = description };

    /// <summary>An object whose keys are not known in advance (field names, header names).</summary>
    public static OpenApiSchema MapOf(IOpenApiSchema values, string? description = null) => new()
    {
        Type = JsonSchemaType.Object, AdditionalProperties = values, Description = description,
    };

    public static OpenApiSchema OneOf(string? description, params IOpenApiSchema[] alternatives) => new() { OneOf = alternatives.ToList(), Description = description };

    public static OpenApiSchema AnyOf(string? description, params IOpenApiSchema[] alternatives) => new() { AnyOf = alternatives.ToList(), Description = description };

    /// <summary>An object with exactly these properties (<c>name?</c> marks an optional one).</summary>
    public static OpenApiSchema Object(params (string Name, IOpenApiSchema Schema)[] properties) => Object(null, properties);

    public static OpenApiSchema Object(string? description, params (string Name, IOpenApiSchema Schema)[] properties)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            Required = new HashSet<string>(StringComparer.Ordinal),
        };
        foreach (var (name, property) in properties)
        {
            var optional = name.EndsWith('?');
            var key = optional ? name[..^1] : name;
            schema.Properties.Add(key, property);
            if (!optional) schema.Required.Add(key);
        }

        return schema;
    }

    /// <summary>Makes properties of <paramref name="schema"/> optional (for a shape that is sometimes sent in part).</summary>
    public static OpenApiSchema WithOptional(this OpenApiSchema schema, params string[] names)
    {
        foreach (var name in names) schema.Required?.Remove(name);
        return schema;
    }

    private const string TimePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$";
}
