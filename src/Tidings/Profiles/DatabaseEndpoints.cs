using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: databases, their unsubscribe behaviour and intentions; and how bodies of these endpoints are read.</summary>
internal static class DatabaseEndpoints
{
    internal static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var databases = api.MapGroup("").WithTags("Databases");
        databases.MapGet("/databases", async (HttpContext http, DatabaseService service, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await service.ListAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(d => DatabaseAnswer.From(d, time)).ToList(), total), ProfilesJsonContext.Default.PageDatabaseAnswer);
        }).WithSummary("List the databases of the account");

        databases.MapPost("/databases", async (HttpContext http, DatabaseService service) =>
        {
            var id = await service.CreateAsync(http.Caller().AccountId, Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.Created(http, "database", id);
        }).WithSummary("Create a database (name, description, archived)");

        databases.MapGet("/database/{id}", async (HttpContext http, string id, DatabaseService service, CopernicaTime time) =>
        {
            var d = await service.GetAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(DatabaseAnswer.From(d, time), ProfilesJsonContext.Default.DatabaseAnswer);
        }).WithSummary("A database by id or name, with its fields, interests and collections");

        databases.MapMethods("/database/{id}", PutOrPost, async (HttpContext http, string id, DatabaseService service) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await service.UpdateAsync(d, Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a database's name, description or archived flag");

        databases.MapGet("/database/{id}/unsubscribe", async (HttpContext http, string id, DatabaseService service) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(UnsubscribeAnswer.Of(d.UnsubscribeBehavior, d.UnsubscribeFields), ProfilesJsonContext.Default.UnsubscribeAnswer);
        }).WithSummary("What happens to a profile that unsubscribes");

        databases.MapMethods("/database/{id}/unsubscribe", PutOrPost, async (HttpContext http, string id, DatabaseService service) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await service.SetUnsubscribeAsync(d, Unsubscribe(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set the unsubscribe behaviour: nothing, remove, or update (with fields)");

        databases.MapMethods("/database/{id}/intentions", PutOrPost, async (HttpContext http, string id, DatabaseService service) =>
        {
            var d = await service.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await service.SetIntentionsAsync(d, Intentions(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Set the communication intentions (email, sms, fax, pdf)");
    }

    /// <summary>A whole list answered as one page of Copernica's list shape; only the items on the page become answers.</summary>
    internal static Page<TAnswer> Page<T, TAnswer>(HttpContext http, IReadOnlyList<T> all, Func<T, TAnswer> answer)
    {
        var paging = Paging.From(http.Request);
        var page = all.Skip((int)Math.Min(paging.Offset, int.MaxValue)).Take((int)Math.Min(paging.Take, int.MaxValue)).Select(answer).ToList();
        return paging.Page(page, all.Count);
    }

    /// <summary>A string member of a body: scalars as PHP would print them; an object or array is refused.</summary>
    internal static string? Text(JsonObject body, string name) =>
        body[name] is { } node ? FieldTypes.ToScalarText(node) ?? throw new RequestRejectedException($"Invalid value for '{name}': expected a string") : null;

    internal static bool? Flag(JsonObject body, string name) => body[name] is { } node ? QueryValues.IsTrue(FieldTypes.ToScalarText(node)) : null;

    /// <summary><c>name</c>, <c>description</c> and <c>archived</c> of a database or collection body.</summary>
    internal static DatabaseChange Change(RequestBody body) =>
        new(Text(body.Object, "name"), Text(body.Object, "description"), Flag(body.Object, "archived"));

    internal static UnsubscribeChange Unsubscribe(RequestBody body) => new(Text(body.Object, "behavior"), body.Object["fields"]);

    internal static IntentionsChange Intentions(RequestBody body) =>
        new(Flag(body.Object, "email"), Flag(body.Object, "sms"), Flag(body.Object, "fax"), Flag(body.Object, "pdf"));
}
