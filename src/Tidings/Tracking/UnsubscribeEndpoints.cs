using System.Net;
using System.Text.Json.Nodes;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Mailings;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Tracking;

/// <summary>
/// The unsubscribe link of a message. GET only asks (link scanners and mail clients fetch links on their own, so a GET
/// must change nothing); POST unsubscribes, also as RFC 8058 one-click (<c>List-Unsubscribe=One-Click</c>). It applies
/// the unsubscribe behaviour of the profile's database (or the subprofile's collection): nothing, remove, or update
/// fields; the change is captured like any other. Then it records one <c>unsubscribe</c> event per message: repeated
/// posts answer the same and record nothing more.
/// </summary>
internal sealed class UnsubscribeEndpoints(JournalWriter journal, IStorage storage, Enricher enricher, DatabaseStore databases, ProfileStore profiles, SubprofileStore subprofiles, ClientAddress clientAddress, TimeProvider time)
{
    public const string Source = "unsubscribe";

    public static void Map(IEndpointRouteBuilder app, UnsubscribeEndpoints endpoints)
    {
        app.MapGet(TrackingUrls.UnsubscribeRoute, endpoints.AskAsync).ExcludeFromDescription();
        app.MapPost(TrackingUrls.UnsubscribeRoute, endpoints.UnsubscribeAsync).ExcludeFromDescription();
    }

    public async Task AskAsync(HttpContext http)
    {
        var token = (string)http.Request.RouteValues["token"]!;
        if (await DestinationAsync(token, http.RequestAborted) is null)
        {
            await PageAsync(http, StatusCodes.Status404NotFound, "Link not found", "<p>This link is not valid (any more).</p>");
            return;
        }

        await PageAsync(http, StatusCodes.Status200OK, "Unsubscribe",
            $"<form method=\"post\" action=\"{WebUtility.HtmlEncode(http.Request.PathBase + http.Request.Path)}\"><p>Do you want to stop receiving these emails?</p>" +
            "<button type=\"submit\">Unsubscribe</button></form>");
    }

    public async Task UnsubscribeAsync(HttpContext http)
    {
        var token = (string)http.Request.RouteValues["token"]!;
        var destination = await DestinationAsync(token, http.RequestAborted);
        if (destination is null)
        {
            await PageAsync(http, StatusCodes.Status404NotFound, "Link not found", "<p>This link is not valid (any more).</p>");
            return;
        }

        var behavior = await ApplyBehaviorAsync(destination, http.RequestAborted);
        var oneClick = await IsOneClickAsync(http.Request);
        var facts = new JsonObject
        {
            ["source"] = oneClick ? "one-click" : "link",
            ["behavior"] = behavior,
            ["ip"] = clientAddress.Resolve(http)?.ToString(),
            ["useragent"] = http.Request.Headers.UserAgent.ToString(),
        };
        await journal.AppendAsync(new RawEvent(EventTypes.Unsubscribe, DestinationKey.Token, token, null, time.GetUtcNow().ToUnixTimeMilliseconds(), facts, "unsubscribe:" + token), http.RequestAborted);
        await PageAsync(http, StatusCodes.Status200OK, "Unsubscribed", "<p>You have been unsubscribed.</p>");
    }

    /// <summary>
    /// Whether the POST is RFC 8058's one-click unsubscribe (<c>List-Unsubscribe=One-Click</c>). A form that cannot be
    /// read (a multipart body without a boundary, a cut-off body) is a plain click on the page's button.
    /// </summary>
    private static async Task<bool> IsOneClickAsync(HttpRequest request)
    {
        if (!request.HasFormContentType) return false;
        try
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form["List-Unsubscribe"].ToString().Equals("One-Click", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return false;
        }
    }

    private async Task<DestinationRef?> DestinationAsync(string token, CancellationToken ct)
    {
        if (token.Length is 0 or > 64) return null;
        await using var c = await storage.OpenReadAsync(ct);
        return (await enricher.FindDestinationsAsync(c, null, DestinationKey.Token, [token])).GetValueOrDefault(token);
    }

    /// <summary>Carries out the behaviour configured for the database or collection; returns its name.</summary>
    private async Task<string> ApplyBehaviorAsync(DestinationRef d, CancellationToken ct)
    {
        var id = d.SubprofileId is null ? RestIds.Text(d.DatabaseId) : RestIds.Text(d.CollectionId);
        var (behavior, fieldsJson) = d.SubprofileId is null
            ? await databases.FindDatabaseAsync(d.AccountId, id, ct) is { } database ? (database.UnsubscribeBehavior, database.UnsubscribeFields) : ("nothing", "{}")
            : await databases.FindCollectionAsync(d.AccountId, id, null, ct) is { } collection ? (collection.UnsubscribeBehavior, collection.UnsubscribeFields) : ("nothing", "{}");
        try
        {
            switch (behavior)
            {
                case "remove" when d.SubprofileId is { } subprofile:
                    await subprofiles.DeleteAsync(d.AccountId, subprofile, Source, ct);
                    break;
                case "remove":
                    await profiles.DeleteAsync(d.AccountId, d.ProfileId, Source, ct);
                    break;
                case "update" when d.SubprofileId is { } subprofile:
                    await subprofiles.UpdateAsync(d.AccountId, subprofile, JsonNode.Parse(fieldsJson) as JsonObject, null, Source, ct);
                    break;
                case "update":
                    await profiles.UpdateAsync(d.AccountId, d.ProfileId, JsonNode.Parse(fieldsJson) as JsonObject, null, false, null, Source, ct);
                    break;
            }
        }
        catch (RequestRejectedException)
        {
            // Already removed (an earlier unsubscribe, or removed meanwhile): the wish is fulfilled all the same.
        }

        return behavior;
    }

    private static async Task PageAsync(HttpContext http, int status, string title, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(
            $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{body}</body></html>\n", http.RequestAborted);
    }
}
