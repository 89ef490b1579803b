using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>REST v3: the fields of a database (a collection's fields are with <see cref="CollectionEndpoints"/>).</summary>
internal static class FieldEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Fields");
        g.MapGet("/database/{id}/fields", async (HttpContext http, string id, DatabaseService databases, FieldService fields) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var page = DatabaseEndpoints.Page(http, await fields.ListAsync(FieldOwner.Of(d), http.RequestAborted), FieldAnswer.From);
            return CopernicaJson.Json(page, ProfilesJsonContext.Default.PageFieldAnswer);
        }).WithSummary("The fields of a database");

        g.MapPost("/database/{id}/fields", async (HttpContext http, string id, DatabaseService databases, FieldService fields) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var fieldId = await fields.CreateAsync(FieldOwner.Of(d), FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.Created(http, $"database/{d.Id}/field", fieldId);
        }).WithSummary("Add a field (name, type, value, displayed, ordered, length, textlines, hidden, index, lock)");

        g.MapMethods("/database/{id}/field/{fieldId}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, string fieldId, DatabaseService databases, FieldService fields) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(FieldOwner.Of(d), fieldId, http.RequestAborted);
            await fields.UpdateAsync(field, FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a database field; a type change converts every stored value");

        g.MapDelete("/database/{id}/field/{fieldId}", async (HttpContext http, string id, string fieldId, DatabaseService databases, FieldService fields) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.Deleted(http, "field", await fields.DeleteAsync(FieldOwner.Of(d), fieldId, http.RequestAborted));
        }).WithSummary("Remove a database field and its values");
    }
}
