using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tidings.Rest;

/// <summary>
/// JSON responses the way Copernica's clients need them: <c>Content-Type: application/json</c> exactly (the official
/// PHP class compares the header as a string and does not decode <c>application/json; charset=utf-8</c>), non-ASCII
/// text unescaped as PHP's <c>json_encode</c> clients expect to read it back.
/// </summary>
internal static class CopernicaJson
{
    public const string ContentType = "application/json";

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A record as Copernica's JSON, serialised through its source-generated <paramref name="type"/> (property order is
    /// declaration order; name the JSON keys with <c>[JsonPropertyName]</c> where they differ).
    /// </summary>
    public static CopernicaJsonResult<T> Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) => new(value, type, status);

    /// <summary>Copernica's error body <c>{"error":{"message":…}}</c> with status 400.</summary>
    public static CopernicaJsonResult<ErrorBody> Error(string message) => Json(ErrorBody.Of(message), RestJsonContext.Default.ErrorBody, StatusCodes.Status400BadRequest);

    /// <summary>The same error body written straight to a response, for middleware that runs outside an endpoint.</summary>
    public static Task WriteErrorAsync(HttpContext context, string message, int status = StatusCodes.Status400BadRequest) =>
        Json(ErrorBody.Of(message), RestJsonContext.Default.ErrorBody, status).ExecuteAsync(context);
}
