using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tidings.Rest;

/// <summary>
/// The one typed result every JSON answer goes through: <typeparamref name="T"/> serialised by its source-generated
/// contract with the exact content type <see cref="CopernicaJson.ContentType"/> (<c>TypedResults.Json</c> would add
/// <c>; charset=utf-8</c>, which Copernica's PHP client does not accept).
/// </summary>
internal sealed class CopernicaJsonResult<T>(T value, JsonTypeInfo<T> type, int status) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string ContentType => CopernicaJson.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = CopernicaJson.ContentType;
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, CopernicaJson.WriterOptions);
        JsonSerializer.Serialize(writer, value, type);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
