using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: databases, their fields, interests, collections, collection fields and unsubscribe behaviour.</summary>
public static class DatabaseEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];
    private static readonly string[] Behaviors = ["nothing", "remove", "update"];

    public static void Map(RouteGroupBuilder api)
    {
        var databases = api.MapGroup("").WithTags("Databases");
        databases.MapGet("/databases", async (HttpContext http, DatabaseStore store, FieldStore fields, InterestStore interests, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await store.ListDatabasesAsync(http.Caller().AccountId, paging, http.RequestAborted);
            var details = new List<DatabaseDetails>();
            foreach (var d in items) details.Add(await DetailsAsync(d, store, fields, interests, http.RequestAborted));
            return paging.Result(details, total, (w, x) => JsonShapes.Database(w, x.Database, x.Fields, x.Interests, x.Collections, time));
        }).WithSummary("List the databases of the account");

        databases.MapPost("/databases", async (HttpContext http, DatabaseStore store) =>
        {
            var body = (await RequestBody.ReadAsync(http)).Object;
            var id = await store.CreateDatabaseAsync(http.Caller().AccountId, Text(body, "name") ?? "", Text(body, "description") ?? "", Flag(body, "archived") ?? false, http.RequestAborted);
            return RestResults.Created(http, "database", id);
        }).WithSummary("Create a database (name, description, archived)");

        databases.MapGet("/database/{id}", async (HttpContext http, string id, DatabaseStore store, FieldStore fields, InterestStore interests, CopernicaTime time) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var x = await DetailsAsync(d, store, fields, interests, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Database(w, x.Database, x.Fields, x.Interests, x.Collections, time));
        }).WithSummary("A database by id or name, with its fields, interests and collections");

        databases.MapMethods("/database/{id}", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            await store.UpdateDatabaseAsync(d, Text(body, "name"), Text(body, "description"), Flag(body, "archived"), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a database's name, description or archived flag");

        databases.MapGet("/database/{id}/unsubscribe", async (HttpContext http, string id, DatabaseStore store) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Unsubscribe(w, d.UnsubscribeBehavior, d.UnsubscribeFields));
        }).WithSummary("What happens to a profile that unsubscribes");

        databases.MapMethods("/database/{id}/unsubscribe", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var (behavior, fieldsJson) = Unsubscribe(await RequestBody.ReadAsync(http), d.UnsubscribeBehavior);
            await store.SetDatabaseUnsubscribeAsync(d.Id, behavior, fieldsJson, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set the unsubscribe behaviour: nothing, remove, or update (with fields)");

        databases.MapMethods("/database/{id}/intentions", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            await store.SetDatabaseIntentionsAsync(d.Id, Intentions(await RequestBody.ReadAsync(http), d.Intentions), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set the communication intentions (email, sms, fax, pdf)");

        var fieldsGroup = api.MapGroup("").WithTags("Fields");
        fieldsGroup.MapGet("/database/{id}/fields", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var all = (await fields.ListAsync(d.Id, 0, http.RequestAborted)).All;
            return Page(http, all, JsonShapes.Field);
        }).WithSummary("The fields of a database");

        fieldsGroup.MapPost("/database/{id}/fields", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var spec = FieldSpec.From((await RequestBody.ReadAsync(http)).Object);
            var fieldId = await fields.CreateAsync(d.AccountId, d.Id, 0, spec, http.RequestAborted);
            return RestResults.Created(http, $"database/{d.Id}/field", fieldId);
        }).WithSummary("Add a field (name, type, value, displayed, ordered, length, textlines, hidden, index, lock)");

        fieldsGroup.MapMethods("/database/{id}/field/{fieldId}", PutOrPost, async (HttpContext http, string id, string fieldId, DatabaseStore store, FieldStore fields) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(d.Id, 0, fieldId, http.RequestAborted);
            await fields.UpdateAsync(field, FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a database field; a type change converts every stored value");

        fieldsGroup.MapDelete("/database/{id}/field/{fieldId}", async (HttpContext http, string id, string fieldId, DatabaseStore store, FieldStore fields) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(d.Id, 0, fieldId, http.RequestAborted);
            await fields.DeleteAsync(field, http.RequestAborted);
            return RestResults.Deleted(http, "field", field.Id);
        }).WithSummary("Remove a database field and its values");

        var interestsGroup = api.MapGroup("").WithTags("Interests");
        interestsGroup.MapGet("/database/{id}/interests", async (HttpContext http, string id, DatabaseStore store, InterestStore interests) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            return Page(http, await interests.ListAsync(d.Id, http.RequestAborted), JsonShapes.Interest);
        }).WithSummary("The interests of a database");

        interestsGroup.MapPost("/database/{id}/interests", async (HttpContext http, string id, DatabaseStore store, InterestStore interests) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var interestId = await interests.CreateAsync(d, Text(body, "name") ?? "", Text(body, "group") ?? "", http.RequestAborted);
            return RestResults.Created(http, "interest", interestId);
        }).WithSummary("Add an interest (name, group)");

        interestsGroup.MapGet("/interest", () => CopernicaJson.Error(CopernicaErrors.MissingPathElement(1))).ExcludeFromDescription();
        interestsGroup.MapMethods("/interest/{id}", PutOrPost, async (HttpContext http, string id, InterestStore interests) =>
        {
            var interest = await interests.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            await interests.UpdateAsync(interest, Text(body, "name"), Text(body, "group"), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Rename an interest or move it to another group");

        interestsGroup.MapDelete("/interest/{id}", async (HttpContext http, string id, InterestStore interests) =>
        {
            var interest = await interests.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await interests.DeleteAsync(interest, http.RequestAborted);
            return RestResults.Deleted(http, "interest", interest.Id);
        }).WithSummary("Remove an interest from the database and from every profile");

        var collections = api.MapGroup("").WithTags("Collections");
        collections.MapGet("/database/{id}/collections", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var list = new List<(CollectionRecord, FieldSet)>();
            foreach (var c in await store.ListCollectionsAsync(d.Id, http.RequestAborted)) list.Add((c, await fields.ListAsync(d.Id, c.Id, http.RequestAborted)));
            return Page(http, list, (w, x) => JsonShapes.Collection(w, x.Item1, x.Item2));
        }).WithSummary("The collections of a database");

        collections.MapPost("/database/{id}/collections", async (HttpContext http, string id, DatabaseStore store) =>
        {
            var d = await store.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var collectionId = await store.CreateCollectionAsync(d, Text(body, "name") ?? "", Text(body, "description") ?? "", http.RequestAborted);
            return RestResults.Created(http, "collection", collectionId);
        }).WithSummary("Add a collection (name, description)");

        collections.MapGet("/collection/{id}", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var set = await fields.ListAsync(c.DatabaseId, c.Id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Collection(w, c, set));
        }).WithSummary("A collection with its fields");

        collections.MapMethods("/collection/{id}", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            await store.UpdateCollectionAsync(c, Text(body, "name"), Text(body, "description"), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Rename a collection");

        collections.MapGet("/collection/{id}/unsubscribe", async (HttpContext http, string id, DatabaseStore store) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Unsubscribe(w, c.UnsubscribeBehavior, c.UnsubscribeFields));
        }).WithSummary("What happens to a subprofile that unsubscribes");

        collections.MapMethods("/collection/{id}/unsubscribe", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var (behavior, fieldsJson) = Unsubscribe(await RequestBody.ReadAsync(http), c.UnsubscribeBehavior);
            await store.SetCollectionUnsubscribeAsync(c.Id, behavior, fieldsJson, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set a collection's unsubscribe behaviour");

        collections.MapMethods("/collection/{id}/intentions", PutOrPost, async (HttpContext http, string id, DatabaseStore store) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            await store.SetCollectionIntentionsAsync(c.Id, Intentions(await RequestBody.ReadAsync(http), c.Intentions), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set a collection's communication intentions");

        collections.MapGet("/collection/{id}/fields", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            return Page(http, (await fields.ListAsync(c.DatabaseId, c.Id, http.RequestAborted)).All, JsonShapes.Field);
        }).WithSummary("The fields of a collection");

        collections.MapPost("/collection/{id}/fields", async (HttpContext http, string id, DatabaseStore store, FieldStore fields) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var fieldId = await fields.CreateAsync(c.AccountId, c.DatabaseId, c.Id, FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.Created(http, $"collection/{c.Id}/field", fieldId);
        }).WithSummary("Add a field to a collection");

        collections.MapMethods("/collection/{id}/field/{fieldId}", PutOrPost, async (HttpContext http, string id, string fieldId, DatabaseStore store, FieldStore fields) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(c.DatabaseId, c.Id, fieldId, http.RequestAborted);
            await fields.UpdateAsync(field, FieldSpec.From((await RequestBody.ReadAsync(http)).Object), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Change a collection field");

        collections.MapDelete("/collection/{id}/field/{fieldId}", async (HttpContext http, string id, string fieldId, DatabaseStore store, FieldStore fields) =>
        {
            var c = await store.RequireCollectionAsync(http.Caller().AccountId, id, http.RequestAborted);
            var field = await fields.RequireAsync(c.DatabaseId, c.Id, fieldId, http.RequestAborted);
            await fields.DeleteAsync(field, http.RequestAborted);
            return RestResults.Deleted(http, "field", field.Id);
        }).WithSummary("Remove a collection field and its values");
    }

    private sealed record DatabaseDetails(DatabaseRecord Database, FieldSet Fields, IReadOnlyList<InterestRecord> Interests, IReadOnlyList<(CollectionRecord Collection, FieldSet Fields)> Collections);

    private static async Task<DatabaseDetails> DetailsAsync(DatabaseRecord d, DatabaseStore store, FieldStore fields, InterestStore interests, CancellationToken ct)
    {
        var collections = new List<(CollectionRecord, FieldSet)>();
        foreach (var c in await store.ListCollectionsAsync(d.Id, ct)) collections.Add((c, await fields.ListAsync(d.Id, c.Id, ct)));
        return new DatabaseDetails(d, await fields.ListAsync(d.Id, 0, ct), await interests.ListAsync(d.Id, ct), collections);
    }

    private static IResult Page<T>(HttpContext http, IReadOnlyList<T> all, Action<System.Text.Json.Utf8JsonWriter, T> write)
    {
        var paging = Paging.From(http.Request);
        var page = all.Skip((int)Math.Min(paging.Offset, int.MaxValue)).Take((int)Math.Min(paging.Take, int.MaxValue)).ToList();
        return paging.Result(page, all.Count, write);
    }

    internal static string? Text(JsonObject body, string name) =>
        body[name] is { } node ? FieldTypes.ToScalarText(node) ?? throw new RequestRejectedException($"Invalid value for '{name}': expected a string") : null;

    internal static bool? Flag(JsonObject body, string name) => body[name] is { } node ? QueryValues.IsTrue(FieldTypes.ToScalarText(node)) : null;

    private static (string Behavior, string FieldsJson) Unsubscribe(RequestBody body, string current)
    {
        var o = body.Object;
        var behavior = Text(o, "behavior")?.Trim().ToLowerInvariant() ?? current;
        if (!Behaviors.Contains(behavior)) throw new RequestRejectedException($"Invalid behavior '{behavior}': expected nothing, remove or update");
        var fields = o["fields"];
        if (fields is not null and not JsonObject) throw new RequestRejectedException("Invalid value for 'fields': expected an object of field names and values");
        return (behavior, (fields as JsonObject)?.ToJsonString() ?? "{}");
    }

    private static string Intentions(RequestBody body, string currentJson)
    {
        var current = JsonNode.Parse(currentJson) as JsonObject ?? [];
        foreach (var key in new[] { "email", "sms", "fax", "pdf" })
        {
            if (body.Object[key] is { } v) current[key] = QueryValues.IsTrue(FieldTypes.ToScalarText(v));
        }

        return current.ToJsonString();
    }
}
