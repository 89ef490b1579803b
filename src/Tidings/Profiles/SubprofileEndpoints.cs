using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: subprofiles, per profile and per collection.</summary>
internal static class SubprofileEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Subprofiles");
        g.MapGet("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileService profiles, CollectionService collections, SubprofileService subprofiles, CopernicaTime time) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await collections.RequireInAsync(p.Database, collection, CopernicaErrors.NoCollection, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var page = await subprofiles.SearchAsync(c, p.Row.Id, SearchQuery.From(http.Request, paging), http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            var answers = page.Rows.Select(row => SubprofileAnswer.From(page.Table, row, c.Id, dataOnly, time)).ToList();
            return CopernicaJson.Json(paging.Page(answers, page.Total), ProfilesJsonContext.Default.PageSubprofileAnswer);
        }).WithSummary("A profile's subprofiles in a collection (id or name)");

        g.MapPost("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileService profiles, CollectionService collections, SubprofileService subprofiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await collections.RequireInAsync(p.Database, collection, CopernicaErrors.SubprofileNotCreated, http.RequestAborted);
            var subprofileId = await subprofiles.CreateAsync(p, c, FlatFields(await RequestBody.ReadAsync(http)), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.Created(http, "subprofile", subprofileId);
        }).WithSummary("Create a subprofile from a flat object of field values");

        g.MapPut("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileService profiles, CollectionService collections, SubprofileService subprofiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await collections.RequireInAsync(p.Database, collection, CopernicaErrors.NoCollection, http.RequestAborted);
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var conditions = SearchQuery.Conditions(http.Request);
            var fields = FlatFields(await RequestBody.ReadAsync(http));
            var (_, created) = await subprofiles.BulkUpdateAsync(p, c, conditions, fields, QueryValues.Flag(http.Request, "create"), ProfileEndpoints.Source, http.RequestAborted);
            return created is { } newId ? RestResults.Created(http, "subprofile", newId) : RestResults.NoContent();
        }).WithSummary("Update a profile's subprofiles matching fields[] (required); create=1 creates one when none match");

        SubprofileItemEndpoints.Map(g);

        g.MapGet("/collection/{id}/subprofiles", async (HttpContext http, string id, CollectionService collections, SubprofileService subprofiles, CopernicaTime time) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var page = await subprofiles.SearchAsync(c, null, SearchQuery.From(http.Request, paging), http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            var answers = page.Rows.Select(row => SubprofileAnswer.From(page.Table, row, c.Id, dataOnly, time)).ToList();
            return CopernicaJson.Json(paging.Page(answers, page.Total), ProfilesJsonContext.Default.PageSubprofileAnswer);
        }).WithSummary("Subprofiles of a collection: paging, fields[] filters, orderby/order, dataonly");

        g.MapPut("/collection/{id}/subprofiles", async (HttpContext http, string id, CollectionService collections, SubprofileService subprofiles) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var conditions = SearchQuery.Conditions(http.Request);
            await subprofiles.BulkUpdateAsync(c, conditions, FlatFields(await RequestBody.ReadAsync(http)), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update every subprofile of a collection matching fields[] (required)");

        g.MapGet("/collection/{id}/subprofileids", async (HttpContext http, string id, CollectionService collections, SubprofileService subprofiles) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.IdArray(await subprofiles.IdsAsync(c, http.RequestAborted));
        }).WithSummary("Ids of all subprofiles of a collection, as a bare JSON array of strings");
    }

    /// <summary>Subprofile bodies are flat field maps; a <c>{"fields":{…}}</c> wrapper is accepted too.</summary>
    internal static JsonObject FlatFields(RequestBody body) =>
        body.Object["fields"] is JsonObject wrapped ? wrapped : body.Object;
}
