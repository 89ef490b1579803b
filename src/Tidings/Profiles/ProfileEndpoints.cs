using System.Text.Json.Nodes;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>REST v3: profiles of a database and a single profile's fields and interests.</summary>
public static class ProfileEndpoints
{
    private static readonly string[] PutOrPost = ["PUT", "POST"];

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Profiles");
        g.MapGet("/database/{id}/profiles", async (HttpContext http, string id, DatabaseStore databases, ProfileStore profiles, CopernicaTime time) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            var page = await profiles.ListAsync(d, FieldFilter.From(http.Request), paging, http.Request, http.RequestAborted);
            var dataOnly = QueryValues.Flag(http.Request, "dataonly");
            return paging.Result(page.Rows, page.Total, (w, row) => JsonShapes.Profile(w, page.Table, row, page.Interests.GetValueOrDefault(row.Id), d.Id, dataOnly, time));
        }).WithSummary("Profiles of a database: paging (start, limit, total), fields[] filters, orderby/order, dataonly");

        g.MapGet("/database/{id}/profileids", async (HttpContext http, string id, DatabaseStore databases, ProfileStore profiles) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            return RestResults.IdArray(await profiles.IdsAsync(d, http.RequestAborted));
        }).WithSummary("Ids of all profiles of a database, as a bare JSON array of strings");

        g.MapPost("/database/{id}/profiles", async (HttpContext http, string id, DatabaseStore databases, ProfileStore profiles) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var (fields, interests) = FieldsAndInterests(await RequestBody.ReadAsync(http));
            var profileId = await profiles.CreateAsync(d, fields, interests, "rest", http.RequestAborted);
            return RestResults.Created(http, "profile", profileId);
        }).WithSummary("Create a profile: {\"fields\":{…},\"interests\":[…] or {name:0|1}}");

        g.MapPut("/database/{id}/profiles", async (HttpContext http, string id, DatabaseStore databases, ProfileStore profiles) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var (fields, interests) = FieldsAndInterests(await RequestBody.ReadAsync(http)); // the body is checked first, as Copernica does
            if (!FieldFilter.HasFieldsParameter(http.Request)) throw new RequestRejectedException(CopernicaErrors.FieldsParameterRequired);
            var conditions = FieldFilter.From(http.Request);
            var (_, created) = await profiles.BulkUpdateAsync(d, conditions, fields, interests, QueryValues.Flag(http.Request, "create"), "rest", http.RequestAborted);
            return created is { } newId ? RestResults.Created(http, "profile", newId) : RestResults.NoContent();
        }).WithSummary("Update every profile matching fields[] (required); with create=1 and no match, create one");

        g.MapDelete("/database/{id}/profiles", async (HttpContext http, string id, DatabaseStore databases, ProfileStore profiles, Microsoft.Extensions.Options.IOptions<RestOptions> options) =>
        {
            var d = await databases.RequireDatabaseAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadAsync(http);
            var list = (body.Root as JsonObject)?["profiles"] as JsonArray ?? body.Root as JsonArray
                ?? throw new RequestRejectedException("Invalid data provided: expected {\"profiles\":[ids]}");
            var ids = new List<long>();
            foreach (var item in list)
            {
                if (!long.TryParse(FieldTypes.ToScalarText(item), out var pid)) throw new RequestRejectedException($"Invalid profile id '{item?.ToJsonString()}' in profiles");
                ids.Add(pid);
            }

            if (ids.Count > options.Value.MaxBulkDelete) throw new RequestRejectedException($"Too many profiles in one delete: at most {options.Value.MaxBulkDelete} (setting Rest:MaxBulkDelete)");
            var count = await profiles.BulkDeleteAsync(d, ids, "rest", keepModified: http.ApiVersion() == 2, http.RequestAborted);
            http.Response.Headers["X-deleted"] = $"profiles {string.Join(',', ids.Distinct())}";
            return RestResults.NoContent();
        }).WithSummary("Remove the profiles listed in {\"profiles\":[ids]}; all or nothing");

        g.MapGet("/profile/{id}", async (HttpContext http, string id, ProfileStore profiles, CopernicaTime time) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var names = InterestInput.Names(p.AllInterests, p.Interests);
            return CopernicaJson.Write(w => JsonShapes.Profile(w, p.Table, p.Row, names, p.Database.Id, false, time));
        }).WithSummary("One profile; a removed profile is still returned, with empty fields and its removal time");

        g.MapMethods("/profile/{id}", PutOrPost, async (HttpContext http, string id, ProfileStore profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var secret = body["secret"] is { } s ? FieldTypes.ToScalarText(s) : null;
            await profiles.UpdateAsync(p.Database.AccountId, p.Row.Id, body["fields"] as JsonObject, body["interests"], false, secret, "rest", http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a profile's fields, interests or secret");

        g.MapDelete("/profile/{id}", async (HttpContext http, string id, ProfileStore profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await profiles.DeleteAsync(p.Database.AccountId, p.Row.Id, "rest", keepModified: http.ApiVersion() == 2, http.RequestAborted);
            return RestResults.Deleted(http, "profile", p.Row.Id);
        }).WithSummary("Remove a profile and its subprofiles");

        g.MapGet("/profile/{id}/fields", async (HttpContext http, string id, ProfileStore profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Write(w => JsonShapes.Fields(w, null, p.Table, p.Row));
        }).WithSummary("A profile's fields as a flat object");

        g.MapMethods("/profile/{id}/fields", PutOrPost, async (HttpContext http, string id, ProfileStore profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadAsync(http);
            await profiles.UpdateAsync(p.Database.AccountId, p.Row.Id, body.Object, null, false, null, "rest", http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a profile's fields from a flat object");

        g.MapGet("/profile/{id}/interests", async (HttpContext http, string id, ProfileStore profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var mine = p.AllInterests.Where(i => p.Interests.Contains(i.Id)).ToList();
            var mode = (QueryValues.Get(http.Request, "return") ?? "").ToLowerInvariant();
            return CopernicaJson.Write(w =>
            {
                w.WriteStartArray();
                foreach (var i in mine)
                {
                    if (mode == "objects") JsonShapes.Interest(w, i);
                    else w.WriteStringValue(mode == "ids" ? JsonShapes.Id(i.Id) : i.Name);
                }

                w.WriteEndArray();
            });
        }).WithSummary("A profile's interests: names, or with return=ids / return=objects");

        g.MapPost("/profile/{id}/interests", (HttpContext http, string id, ProfileStore profiles) => SetInterests(http, id, profiles, replace: false))
            .WithSummary("Add interests to a profile: [names] or {name:0|1}");
        g.MapPut("/profile/{id}/interests", (HttpContext http, string id, ProfileStore profiles) => SetInterests(http, id, profiles, replace: true))
            .WithSummary("Replace a profile's interests");
    }

    private static async Task<IResult> SetInterests(HttpContext http, string id, ProfileStore profiles, bool replace)
    {
        var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
        var body = await RequestBody.ReadAsync(http);
        var input = body.Root is JsonObject o && o["interests"] is { } inner ? inner : body.Root ?? new JsonArray();
        await profiles.UpdateAsync(p.Database.AccountId, p.Row.Id, null, input, replace, null, "rest", http.RequestAborted);
        return RestResults.NoContent();
    }

    /// <summary>The <c>fields</c> and <c>interests</c> of a create or bulk body; a <c>fields</c> that is not an object is refused.</summary>
    internal static (JsonObject? Fields, JsonNode? Interests) FieldsAndInterests(RequestBody body)
    {
        var o = body.Object;
        var fields = o["fields"];
        if (fields is not null and not JsonObject) throw new RequestRejectedException(CopernicaErrors.InvalidData);
        return ((JsonObject?)fields, o["interests"]);
    }
}
