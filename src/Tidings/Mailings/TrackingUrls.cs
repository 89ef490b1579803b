using Microsoft.Extensions.Options;

namespace Tidings.Mailings;

/// <summary>
/// The public tracking addresses of a destination: the open pixel <c>/t/o/{token}.gif</c>, per link of the mailing
/// the click redirect <c>/t/c/{token}/{linkIndex}</c>, and the unsubscribe page <c>/t/u/{token}</c>. A click can only lead to a link stored with the
/// mailing, so the redirect can never be abused as an open redirect.
/// </summary>
internal static class TrackingUrls
{
    public const string OpenRoute = "/t/o/{token}";
    public const string ClickRoute = "/t/c/{token}/{link:int}";
    public const string UnsubscribeRoute = "/t/u/{token}";

    public static string Base(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IOptions<MailingsOptions>>().Value.TrackingBaseUrl;
        return string.IsNullOrEmpty(configured) ? $"{http.Request.Scheme}://{http.Request.Host}" : configured.TrimEnd('/');
    }

    public static string Open(string baseUrl, string token) => $"{baseUrl}/t/o/{token}.gif";

    public static string Click(string baseUrl, string token, int linkIndex) => $"{baseUrl}/t/c/{token}/{linkIndex}";

    /// <summary>The unsubscribe page (GET asks, POST unsubscribes; usable as RFC 8058 one-click List-Unsubscribe).</summary>
    public static string Unsubscribe(string baseUrl, string token) => $"{baseUrl}/t/u/{token}";
}
