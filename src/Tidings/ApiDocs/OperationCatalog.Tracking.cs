using Microsoft.OpenApi;
using Tidings.Mailings;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>
/// Rows: the public tracking links in a message (open pixel, click redirect, unsubscribe page). Their endpoints are
/// mapped outside the API's route group and excluded from routing's description, so these rows add them whole.
/// </summary>
internal static partial class OperationCatalog
{
    private const string TrackingTag = "Tracking";

    private static readonly ApiParameter Token = new("token",
        "The message's tracking token, as in the URLs of GET ms/destination/{id} (the open pixel also takes it with .gif).",
        () => String(), ParameterLocation.Path, Required: true);

    private static readonly ApiReply NotFoundPage = new("404")
    {
        Description = "Unknown token or link: a short HTML page.",
        Content = [("text/html", null)],
    };

    private static IEnumerable<ApiOperation> Tracking()
    {
        var open = PathOf(TrackingUrls.OpenRoute);
        var click = PathOf(TrackingUrls.ClickRoute);
        var unsubscribe = PathOf(TrackingUrls.UnsubscribeRoute);
        var noStore = ("Cache-Control", "no-store, no-cache, must-revalidate, private");
        ApiParameter[] clickParameters =
        [
            Token,
            new("link", "The number of the link in the mailing's links (from 0).", () => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
                ParameterLocation.Path, Required: true),
        ];
        var pixel = new ApiReply("200") { Description = "A transparent 1×1 GIF, whatever the token.", Content = [("image/gif", null)], Headers = [noStore] };
        var redirect = new ApiReply("302")
        {
            Description = "Redirect to the mailing's link with that number; only a stored link, so never an open redirect.",
            Headers = [("Location", "The link."), noStore],
        };

        yield return new ApiOperation("GET", open, "trackOpen")
        {
            AddedHere = ("Open pixel: records an open of the message, then answers a transparent GIF (the same for an unknown token)", TrackingTag),
            Parameters = [Token], Replies = [pixel],
        };
        yield return new ApiOperation("HEAD", open, "trackOpenHead")
        {
            AddedHere = ("The open pixel's headers (records an open too)", TrackingTag),
            Parameters = [Token], Replies = [pixel with { Content = [] }],
        };
        yield return new ApiOperation("GET", click, "trackClick")
        {
            AddedHere = ("Click redirect: records a click on a link of the message's mailing and redirects to it", TrackingTag),
            Parameters = clickParameters, Replies = [redirect, NotFoundPage],
        };
        yield return new ApiOperation("HEAD", click, "trackClickHead")
        {
            AddedHere = ("The click redirect's headers (records a click too)", TrackingTag),
            Parameters = clickParameters, Replies = [redirect, NotFoundPage with { Content = [] }],
        };
        yield return new ApiOperation("GET", unsubscribe, "getUnsubscribePage")
        {
            AddedHere = ("Unsubscribe page: asks (a GET changes nothing, as link scanners fetch links)", TrackingTag),
            Parameters = [Token],
            Replies = [new ApiReply("200") { Description = "An HTML page with a form that posts to the same URL.", Content = [("text/html", null)] }, NotFoundPage],
        };
        yield return new ApiOperation("POST", unsubscribe, "unsubscribe")
        {
            AddedHere = ("Unsubscribe, also as RFC 8058 one-click: applies the database's (or collection's) unsubscribe behaviour once per message", TrackingTag),
            Parameters = [Token],
            Body = new ApiBody("Empty (the page's form), or List-Unsubscribe=One-Click as a mail client sends it (RFC 8058).", false,
                [("application/x-www-form-urlencoded", "OneClickUnsubscribe")]),
            Replies = [new ApiReply("200") { Description = "Unsubscribed (also when it already was): an HTML page.", Content = [("text/html", null)] }, NotFoundPage],
        };
    }
}
