using Microsoft.AspNetCore.Http.HttpResults;

namespace Tidings.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c>, GET and HEAD (HEAD: the same status and headers, no body). No authentication,
/// never cached by proxies, and never a 5xx but the 503 of "not ready". Not in the OpenAPI document: like the
/// dashboard and the documentation, they are not part of the Copernica API (see OperationCatalog.Undocumented).
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";

    private static readonly LivenessAnswer Alive = new("ok");

    public static void Map(IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods(LivePath, methods, Live).ExcludeFromDescription().AllowAnonymous();
        app.MapMethods(ReadyPath, methods, ReadyAsync).ExcludeFromDescription().AllowAnonymous();
    }

    private static Results<JsonHttpResult<LivenessAnswer>, StatusCodeHttpResult> Live(HttpContext http)
    {
        NoStore(http);
        if (HttpMethods.IsHead(http.Request.Method)) return TypedResults.StatusCode(StatusCodes.Status200OK);
        return TypedResults.Json(Alive, HealthJsonContext.Default.LivenessAnswer);
    }

    private static async Task<Results<JsonHttpResult<ReadinessAnswer>, StatusCodeHttpResult>> ReadyAsync(HttpContext http, ReadinessProbe probe)
    {
        var answer = await probe.CurrentAsync().WaitAsync(http.RequestAborted);
        var status = answer.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        NoStore(http);
        if (HttpMethods.IsHead(http.Request.Method)) return TypedResults.StatusCode(status);
        return TypedResults.Json(answer, HealthJsonContext.Default.ReadinessAnswer, statusCode: status);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
