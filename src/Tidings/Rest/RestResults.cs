using System.Globalization;

namespace Tidings.Rest;

/// <summary>Copernica's answers to writes: 201 + <c>X-Created</c> (+ <c>X-location</c>), 204, and <c>X-deleted</c>.</summary>
internal static class RestResults
{
    public static IResult Created(HttpContext http, string entity, long id)
    {
        var text = id.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Created"] = text;
        http.Response.Headers["X-location"] = $"{http.PublicBase()}{RestApi.Prefix}/{entity}/{text}";
        http.Items[V2Answers.CreatedPathKey] = $"{entity}/{text}";
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    public static IResult NoContent() => Results.NoContent();

    public static IResult Deleted(HttpContext http, string entity, long id)
    {
        http.Response.Headers["X-deleted"] = $"{entity} {id.ToString(CultureInfo.InvariantCulture)}";
        return Results.NoContent();
    }

    /// <summary>A bare JSON array of ids as strings (<c>profileids</c>, <c>subprofileids</c>).</summary>
    public static CopernicaJsonResult<IReadOnlyList<string>> IdArray(IReadOnlyList<long> ids) =>
        CopernicaJson.Json<IReadOnlyList<string>>(ids.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray(), RestJsonContext.Default.IReadOnlyListString);
}
