using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: the profiles of a database (search, create, bulk update and delete); one profile is <see cref="ProfileItemEndpoints"/>.</summary>
internal static class ProfileEndpoints
{
    /// <summary>What the journal records as the source of changes made through this API.</summary>
    internal const string Source = "rest";

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Profiles");
        g.MapGet("/database/{id}/profiles", async (HttpContext http, string id, DatabaseService databases, ProfileService profiles, CopernicaTime time) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var page = await profiles.SearchAsync(d, SearchQuery.From(http.Request, paging), http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            var answers = page.Rows.Select(row => ProfileAnswer.From(page.Table, row, page.Interests.GetValueOrDefault(row.Id), d.Id, dataOnly, time)).ToList();
            return CopernicaJson.Json(paging.Page(answers, page.Total), ProfilesJsonContext.Default.PageProfileAnswer);
        }).WithSummary("Profiles of a database: paging (start, limit, total), fields[] filters, orderby/order, dataonly");

        g.MapGet("/database/{id}/profileids", async (HttpContext http, string id, DatabaseService databases, ProfileService profiles) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.IdArray(await profiles.IdsAsync(d, http.RequestAborted));
        }).WithSummary("Ids of all profiles of a database, as a bare JSON array of strings");

        g.MapPost("/database/{id}/profiles", async (HttpContext http, string id, DatabaseService databases, ProfileService profiles) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var profileId = await profiles.CreateAsync(d, FieldsAndInterests(await RequestBody.ReadAsync(http)), Source, http.RequestAborted);
            return RestResults.Created(http, "profile", profileId);
        }).WithSummary("Create a profile: {\"fields\":{…},\"interests\":[…] or {name:0|1}}");

        g.MapPut("/database/{id}/profiles", async (HttpContext http, string id, DatabaseService databases, ProfileService profiles) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var change = FieldsAndInterests(await RequestBody.ReadAsync(http)); // the body is checked first, as Copernica does
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var create = QueryValues.Flag(http.Request, "create");
            var (_, created) = await profiles.BulkUpdateAsync(d, SearchQuery.Conditions(http.Request), change, create, Source, http.RequestAborted);
            return created is { } newId ? RestResults.Created(http, "profile", newId) : RestResults.NoContent();
        }).WithSummary("Update every profile matching fields[] (required); with create=1 and no match, create one");

        g.MapDelete("/database/{id}/profiles", async (HttpContext http, string id, DatabaseService databases, ProfileService profiles) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var ids = ProfileIds(await RequestBody.ReadAsync(http));
            await profiles.BulkDeleteAsync(d, ids, Source, keepModified: http.ApiVersion() == 2, http.RequestAborted);
            http.Response.Headers["X-deleted"] = $"profiles {string.Join(',', ids.Distinct())}";
            return RestResults.NoContent();
        }).WithSummary("Remove the profiles listed in {\"profiles\":[ids]}; all or nothing");

        ProfileItemEndpoints.Map(g);
    }

    /// <summary>The <c>fields</c> and <c>interests</c> of a create or bulk body; a <c>fields</c> that is not an object is refused.</summary>
    internal static ProfileChange FieldsAndInterests(RequestBody body)
    {
        var o = body.Object;
        var fields = o["fields"];
        if (fields is not null and not JsonObject) throw new RequestRejectedException(CopernicaErrors.InvalidData);
        return new ProfileChange((JsonObject?)fields, o["interests"]);
    }

    /// <summary>The ids of <c>{"profiles":[ids]}</c> (or a bare array) of a bulk delete.</summary>
    private static List<long> ProfileIds(RequestBody body)
    {
        var list = (body.Root as JsonObject)?["profiles"] as JsonArray ?? body.Root as JsonArray
            ?? throw new RequestRejectedException("Invalid data provided: expected {\"profiles\":[ids]}");
        var ids = new List<long>();
        foreach (var item in list)
        {
            if (!long.TryParse(FieldTypes.ToScalarText(item), out var pid)) throw new RequestRejectedException($"Invalid profile id '{item?.ToJsonString()}' in profiles");
            ids.Add(pid);
        }

        return ids;
    }
}
