using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Mailings;

/// <summary>REST v3: Marketing Suite emailings (<c>ms/emailing</c>) and their destinations.</summary>
internal static class MailingEndpoints
{
    /// <summary>Copernica's keys (<c>target</c>, <c>targettype</c>, <c>template</c>) and Tidings' own; others are refused.</summary>
    private static readonly BodyKeys Keys = BodyKeys.Of("target", "targettype", "template", "subject", "senderdomain", "tags", "links", "type")
        .With("from_address", BodyKeys.Of("name", "email"));

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Mailings");
        g.MapPost("/ms/emailing", async (HttpContext http, MailingStore store, IOptions<MailingsOptions> options) =>
        {
            var spec = Spec(await RequestBody.ReadStrictAsync(http, Keys), options.Value);
            var id = await store.CreateAsync(http.Caller().AccountId, spec, http.RequestAborted);
            return RestResults.Created(http, "ms/emailing", id);
        }).WithSummary("Send a mailing to a target: {target, targettype (database, collection, profile, subprofile), template, subject, from_address, senderdomain, tags, links}");

        g.MapGet("/ms/emailings", async (HttpContext http, MailingStore store, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await store.ListAsync(http.Caller().AccountId, paging, http.Request, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(m => MailingAnswer.From(m, time)).ToList(), total), MailingJsonContext.Default.PageMailingAnswer);
        }).WithSummary("The account's mailings; filters type (mass, individual), mindestinations, maxdestinations, fromdate, todate");

        g.MapGet("/ms/emailing/{id}", async (HttpContext http, string id, MailingStore store, CopernicaTime time) =>
        {
            var m = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(MailingAnswer.From(m, time), MailingJsonContext.Default.MailingAnswer);
        }).WithSummary("One mailing; status is preparing while destinations are still being created, then sent");

        g.MapGet("/ms/emailing/{id}/destinations", async (HttpContext http, string id, MailingStore store, CopernicaTime time) =>
        {
            var m = await store.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var (items, total) = await store.DestinationsAsync(m.Id, paging, http.RequestAborted);
            var links = DestinationAnswer.LinksOf(m);
            var baseUrl = TrackingUrls.Base(http);
            return CopernicaJson.Json(paging.Page(items.Select(d => DestinationAnswer.From(d, links, baseUrl, time)).ToList(), total), MailingJsonContext.Default.PageDestinationAnswer);
        }).WithSummary("The messages of a mailing, with message ids and tracking links for the mail transfer agent");

        g.MapGet("/ms/destination/{id}", async (HttpContext http, string id, MailingStore store, CopernicaTime time) =>
        {
            var d = await store.FindDestinationAsync(http.Caller().AccountId, id, http.RequestAborted) ?? throw new RequestRejectedException("No destination with supplied ID");
            var m = await store.RequireAsync(http.Caller().AccountId, RestIds.Text(d.MailingId), http.RequestAborted);
            return CopernicaJson.Json(DestinationAnswer.From(d, DestinationAnswer.LinksOf(m), TrackingUrls.Base(http), time), MailingJsonContext.Default.DestinationAnswer);
        }).WithSummary("One message by numeric id or message id");
    }

    private static MailingSpec Spec(JsonObject body, MailingsOptions options)
    {
        var targetType = (DatabaseEndpoints.Text(body, "targettype") ?? "").Trim().ToLowerInvariant();
        var target = DatabaseEndpoints.Text(body, "target") ?? throw new RequestRejectedException("Invalid data provided: target is required");
        var from = body["from_address"] as JsonObject;
        var tags = body["tags"] switch
        {
            JsonArray list => list.Select(FieldTypes.ToScalarText).OfType<string>().ToList(),
            JsonValue v => (FieldTypes.ToScalarText(v) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            null => [],
            _ => throw new RequestRejectedException("Invalid value for 'tags': expected a list of strings"),
        };
        var links = body["links"] switch
        {
            JsonArray list => list.Select(FieldTypes.ToScalarText).OfType<string>().ToList(),
            null => [],
            _ => throw new RequestRejectedException("Invalid value for 'links': expected a list of URLs"),
        };
        if (links.Count > options.MaxLinks) throw new RequestRejectedException($"Too many links: at most {options.MaxLinks} (setting Mailings:MaxLinks)");
        foreach (var link in links)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new RequestRejectedException($"Invalid link '{link}': expected an absolute http or https URL");
            }
        }

        var type = (DatabaseEndpoints.Text(body, "type") ?? "mass").Trim().ToLowerInvariant();
        if (type is not ("mass" or "individual")) throw new RequestRejectedException($"Invalid type '{type}': expected mass or individual");
        return new MailingSpec(targetType, target, QueryValues.PhpInt(DatabaseEndpoints.Text(body, "template")), DatabaseEndpoints.Text(body, "subject") ?? "",
            from is null ? "" : DatabaseEndpoints.Text(from, "name") ?? "", from is null ? "" : DatabaseEndpoints.Text(from, "email") ?? "",
            DatabaseEndpoints.Text(body, "senderdomain") ?? "", tags, links, type);
    }
}
