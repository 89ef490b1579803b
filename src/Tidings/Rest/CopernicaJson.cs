using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Tidings.Rest;

/// <summary>
/// JSON responses the way Copernica's clients need them: <c>Content-Type: application/json</c> exactly (the official
/// PHP class compares the header as a string and does not decode <c>application/json; charset=utf-8</c>).
/// </summary>
internal static class CopernicaJson
{
    public const string ContentType = "application/json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Write(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => new WriterResult(write, status);

    /// <summary>
    /// A record as Copernica's JSON, serialised through its source-generated <paramref name="type"/> (property order is
    /// declaration order; name the JSON keys with <c>[JsonPropertyName]</c> where they differ), with the same escaping
    /// and the same exact content type as every other response.
    /// </summary>
    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        new WriterResult(w => JsonSerializer.Serialize(w, value, type), status);

    public static IResult Node(JsonNode? node, int status = StatusCodes.Status200OK) => new WriterResult(w =>
    {
        if (node is null) w.WriteNullValue(); else node.WriteTo(w);
    }, status);

    public static IResult Error(string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteEndObject();
    }, StatusCodes.Status400BadRequest);

    public static async Task WriteErrorAsync(HttpContext context, string message, int status = StatusCodes.Status400BadRequest)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    private sealed class WriterResult(Action<Utf8JsonWriter> write, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = ContentType;
            await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, WriterOptions);
            write(writer);
            await writer.FlushAsync();
        }
    }
}
