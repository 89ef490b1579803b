namespace Tidings.Rest;

/// <summary>
/// How Copernica's v2 answered a successful PUT (observed by rmuit/copernica-api, whose client depends on it):
/// <c>303 See Other</c> with an empty body and <c>Location</c> set to the same URL without the version prefix, query
/// kept; when the PUT created an entity (<c>create=1</c>), <c>Location</c> is that entity's URL and <c>X-Created</c>
/// is sent as well. v3 answers 204 or 201.
/// </summary>
internal static class V2Answers
{
    /// <summary>Item key under which <see cref="RestResults.Created"/> leaves the created entity's path (<c>profile/12</c>).</summary>
    public const string CreatedPathKey = "Tidings.Rest.CreatedPath";

    public static void SeeOtherOnPut(HttpContext http, ApiPath api)
    {
        if (api.Version != 2 || !HttpMethods.IsPut(http.Request.Method)) return;
        http.Response.OnStarting(() =>
        {
            var response = http.Response;
            if (response.StatusCode is StatusCodes.Status201Created or StatusCodes.Status204NoContent)
            {
                var target = http.Items[CreatedPathKey] is string created ? "/" + created : api.Unversioned + http.Request.QueryString;
                response.StatusCode = StatusCodes.Status303SeeOther;
                response.Headers.Location = http.PublicBase() + target;
            }

            return Task.CompletedTask;
        });
    }
}
