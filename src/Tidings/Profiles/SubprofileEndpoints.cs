using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: subprofiles, per profile and per collection.</summary>
public static class SubprofileEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Subprofiles");
        g.MapGet("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileStore profiles, DatabaseStore databases, SubprofileStore subprofiles, CopernicaTime time) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await databases.FindCollectionAsync(p.Database.AccountId, collection, p.Database, http.RequestAborted) ?? throw new RequestRejectedException(CopernicaErrors.NoCollection);
            var paging = Paging.From(http.Request);
            var page = await subprofiles.ListAsync(c, p.Row.Id, FieldFilter.From(http.Request), paging, http.Request, http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            return paging.Result(page.Rows, page.Total, (w, row) => JsonShapes.Subprofile(w, page.Table, row, c.Id, dataOnly, time));
        }).WithSummary("A profile's subprofiles in a collection (id or name)");

        g.MapPost("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileStore profiles, DatabaseStore databases, SubprofileStore subprofiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await databases.FindCollectionAsync(p.Database.AccountId, collection, p.Database, http.RequestAborted) ?? throw new RequestRejectedException(CopernicaErrors.SubprofileNotCreated);
            var subprofileId = await subprofiles.CreateAsync(p, c, FlatFields(await RequestBody.ReadAsync(http)), "rest", http.RequestAborted);
            return RestResults.Created(http, "subprofile", subprofileId);
        }).WithSummary("Create a subprofile from a flat object of field values");

        g.MapPut("/profile/{id}/subprofiles/{collection}", async (HttpContext http, string id, string collection, ProfileStore profiles, DatabaseStore databases, SubprofileStore subprofiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var c = await databases.FindCollectionAsync(p.Database.AccountId, collection, p.Database, http.RequestAborted) ?? throw new RequestRejectedException(CopernicaErrors.NoCollection);
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var (_, created) = await subprofiles.BulkUpdateAsync(p.Database, c, p.Row.Id, FieldFilter.From(http.Request), FlatFields(await RequestBody.ReadAsync(http)), QueryValues.Flag(http.Request, "create"), "rest", http.RequestAborted);
            return created is { } newId ? RestResults.Created(http, "subprofile", newId) : RestResults.NoContent();
        }).WithSummary("Update a profile's subprofiles matching fields[] (required); create=1 creates one when none match");

        g.MapGet("/subprofile/{id}", async (HttpContext http, string id, SubprofileStore subprofiles, CopernicaTime time) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Subprofile(w, s.Table, s.Row, s.Collection.Id, false, time));
        }).WithSummary("One subprofile");

        g.MapMethods("/subprofile/{id}", PutOrPost, async (HttpContext http, string id, SubprofileStore subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var secret = body["secret"] is { } v ? FieldTypes.ToScalarText(v) : null;
            await subprofiles.UpdateAsync(s.Collection.AccountId, s.Row.Id, body["fields"] as JsonObject, secret, "rest", http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a subprofile's fields or secret");

        g.MapDelete("/subprofile/{id}", async (HttpContext http, string id, SubprofileStore subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await subprofiles.DeleteAsync(s.Collection.AccountId, s.Row.Id, "rest", keepModified: http.ApiVersion() == 2, http.RequestAborted);
            return RestResults.Deleted(http, "subprofile", s.Row.Id);
        }).WithSummary("Remove a subprofile");

        g.MapGet("/subprofile/{id}/fields", async (HttpContext http, string id, SubprofileStore subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Fields(w, null, s.Table, s.Row));
        }).WithSummary("A subprofile's fields as a flat object");

        g.MapMethods("/subprofile/{id}/fields", PutOrPost, async (HttpContext http, string id, SubprofileStore subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await subprofiles.UpdateAsync(s.Collection.AccountId, s.Row.Id, (await RequestBody.ReadAsync(http)).Object, null, "rest", http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a subprofile's fields from a flat object");

        g.MapGet("/collection/{id}/subprofiles", async (HttpContext http, string id, DatabaseStore databases, SubprofileStore subprofiles, CopernicaTime time) =>
        {
            var c = await databases.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var page = await subprofiles.ListAsync(c, null, FieldFilter.From(http.Request), paging, http.Request, http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            return paging.Result(page.Rows, page.Total, (w, row) => JsonShapes.Subprofile(w, page.Table, row, c.Id, dataOnly, time));
        }).WithSummary("Subprofiles of a collection: paging, fields[] filters, orderby/order, dataonly");

        g.MapPut("/collection/{id}/subprofiles", async (HttpContext http, string id, DatabaseStore databases, SubprofileStore subprofiles) =>
        {
            var c = await databases.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var d = await databases.RequireDatabaseAsync(c.AccountId, JsonShapes.Id(c.DatabaseId), http.RequestAborted);
            await subprofiles.BulkUpdateAsync(d, c, null, FieldFilter.From(http.Request), FlatFields(await RequestBody.ReadAsync(http)), false, "rest", http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update every subprofile of a collection matching fields[] (required)");

        g.MapGet("/collection/{id}/subprofileids", async (HttpContext http, string id, DatabaseStore databases, SubprofileStore subprofiles) =>
        {
            var c = await databases.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.IdArray(await subprofiles.IdsAsync(c, http.RequestAborted));
        }).WithSummary("Ids of all subprofiles of a collection, as a bare JSON array of strings");
    }

    /// <summary>Subprofile bodies are flat field maps; a <c>{"fields":{…}}</c> wrapper is accepted too.</summary>
    private static JsonObject FlatFields(RequestBody body) =>
        body.Object["fields"] is JsonObject wrapped ? wrapped : body.Object;
}
