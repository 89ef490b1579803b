namespace Tidings.Dashboard;

/// <summary>
/// The headers every dashboard response carries: a Content-Security-Policy that allows no inline script or style and
/// nothing from another origin (every asset is served by Tidings), no framing, no referrer to other sites, no sniffing.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.XContentTypeOptions = "nosniff";
        // Pages show account data (and once a one-time password): not kept by the browser or a proxy. Assets say otherwise.
        if (string.IsNullOrEmpty(headers.CacheControl)) headers.CacheControl = "no-store";
    }
}
