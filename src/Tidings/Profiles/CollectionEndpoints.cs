using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>REST v3: collections of a database, their fields, unsubscribe behaviour and intentions.</summary>
internal static class CollectionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Collections");
        g.MapGet("/database/{id}/collections", async (HttpContext http, string id, DatabaseService databases, CollectionService collections) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var page = DatabaseEndpoints.Page(http, await collections.ListAsync(d, http.RequestAborted), CollectionAnswer.From);
            return CopernicaJson.Json(page, ProfilesJsonContext.Default.PageCollectionAnswer);
        }).WithSummary("The collections of a database");

        g.MapPost("/database/{id}/collections", async (HttpContext http, string id, DatabaseService databases, CollectionService collections) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var collectionId = await collections.CreateAsync(d, DatabaseEndpoints.Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.Created(http, "collection", collectionId);
        }).WithSummary("Add a collection (name, description)");

        g.MapGet("/collection/{id}", async (HttpContext http, string id, CollectionService collections) =>
        {
            var c = await collections.GetAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(CollectionAnswer.From(c), ProfilesJsonContext.Default.CollectionAnswer);
        }).WithSummary("A collection with its fields");

        g.MapMethods("/collection/{id}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, CollectionService collections) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await collections.UpdateAsync(c, DatabaseEndpoints.Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Rename a collection");

        g.MapGet("/collection/{id}/unsubscribe", async (HttpContext http, string id, CollectionService collections) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(UnsubscribeAnswer.Of(c.UnsubscribeBehavior, c.UnsubscribeFields), ProfilesJsonContext.Default.UnsubscribeAnswer);
        }).WithSummary("What happens to a subprofile that unsubscribes");

        g.MapMethods("/collection/{id}/unsubscribe", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, CollectionService collections) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await collections.SetUnsubscribeAsync(c, DatabaseEndpoints.Unsubscribe(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set a collection's unsubscribe behaviour");

        g.MapMethods("/collection/{id}/intentions", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, CollectionService collections) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await collections.SetIntentionsAsync(c, DatabaseEndpoints.Intentions(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set a collection's communication intentions");

        g.MapGet("/collection/{id}/fields", async (HttpContext http, string id, CollectionService collections, FieldService fields) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var page = DatabaseEndpoints.Page(http, await fields.ListAsync(FieldOwner.Of(c), http.RequestAborted), FieldAnswer.From);
            return CopernicaJson.Json(page, ProfilesJsonContext.Default.PageFieldAnswer);
        }).WithSummary("The fields of a collection");

        g.MapPost("/collection/{id}/fields", async (HttpContext http, string id, CollectionService collections, FieldService fields) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var fieldId = await fields.CreateAsync(FieldOwner.Of(c), FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.Created(http, $"collection/{c.Id}/field", fieldId);
        }).WithSummary("Add a field to a collection");

        g.MapMethods("/collection/{id}/field/{fieldId}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, string fieldId, CollectionService collections, FieldService fields) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(FieldOwner.Of(c), fieldId, http.RequestAborted);
            await fields.UpdateAsync(field, FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a collection field");

        g.MapDelete("/collection/{id}/field/{fieldId}", async (HttpContext http, string id, string fieldId, CollectionService collections, FieldService fields) =>
        {
            var c = await collections.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.Deleted(http, "field", await fields.DeleteAsync(FieldOwner.Of(c), fieldId, http.RequestAborted));
        }).WithSummary("Remove a collection field and its values");
    }
}
