using System.Text.Json.Serialization;

namespace Tidings.Rest;

/// <summary>Copernica's error answer: <c>{"error":{"message":"…"}}</c>.</summary>
internal sealed record ErrorBody([property: JsonPropertyName("error")] ErrorMessage Error)
{
    public static ErrorBody Of(string message) => new(new ErrorMessage(message));
}

internal sealed record ErrorMessage([property: JsonPropertyName("message")] string Message);
