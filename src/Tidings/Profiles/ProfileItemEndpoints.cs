using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>REST v3: one profile, its fields and its interests.</summary>
internal static class ProfileItemEndpoints
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/profile/{id}", async (HttpContext http, string id, ProfileService profiles, CopernicaTime time) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(ProfileAnswer.From(p, time), ProfilesJsonContext.Default.ProfileAnswer);
        }).WithSummary("One profile; a removed profile is still returned, with empty fields and its removal time");

        g.MapMethods("/profile/{id}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, ProfileService profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var secret = body["secret"] is { } s ? FieldTypes.ToScalarText(s) : null;
            await profiles.UpdateAsync(p, new ProfileChange(body["fields"] as JsonObject, body["interests"], Secret: secret), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a profile's fields, interests or secret");

        g.MapDelete("/profile/{id}", async (HttpContext http, string id, ProfileService profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await profiles.DeleteAsync(p, ProfileEndpoints.Source, keepModified: http.ApiVersion() == 2, http.RequestAborted);
            return RestResults.Deleted(http, "profile", p.Row.Id);
        }).WithSummary("Remove a profile and its subprofiles");

        g.MapGet("/profile/{id}/fields", async (HttpContext http, string id, ProfileService profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(FieldValues.Of(p.Table, p.Row), ProfilesJsonContext.Default.FieldValues);
        }).WithSummary("A profile's fields as a flat object");

        g.MapMethods("/profile/{id}/fields", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, ProfileService profiles) =>
        {
            var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = await RequestBody.ReadAsync(http);
            await profiles.UpdateAsync(p, new ProfileChange(body.Object), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a profile's fields from a flat object");

        g.MapGet("/profile/{id}/interests", async (HttpContext http, string id, ProfileService profiles) =>
        {
            var mine = await profiles.InterestsAsync(http.Caller().AccountId, id, http.RequestAborted);
            var mode = (QueryValues.Get(http.Request, "return") ?? "").ToLowerInvariant();
            return mode switch
            {
                "objects" => (IResult)CopernicaJson.Json<IReadOnlyList<InterestAnswer>>(mine.Select(InterestAnswer.From).ToList(), ProfilesJsonContext.Default.IReadOnlyListInterestAnswer),
                "ids" => CopernicaJson.Json<IReadOnlyList<string>>(mine.Select(i => RestIds.Text(i.Id)).ToList(), ProfilesJsonContext.Default.IReadOnlyListString),
                _ => CopernicaJson.Json<IReadOnlyList<string>>(mine.Select(i => i.Name).ToList(), ProfilesJsonContext.Default.IReadOnlyListString),
            };
        }).WithSummary("A profile's interests: names, or with return=ids / return=objects");

        g.MapPost("/profile/{id}/interests", (HttpContext http, string id, ProfileService profiles) => SetInterests(http, id, profiles, replace: false))
            .WithSummary("Add interests to a profile: [names] or {name:0|1}");
        g.MapPut("/profile/{id}/interests", (HttpContext http, string id, ProfileService profiles) => SetInterests(http, id, profiles, replace: true))
            .WithSummary("Replace a profile's interests");
    }

    private static async Task<IResult> SetInterests(HttpContext http, string id, ProfileService profiles, bool replace)
    {
        var p = await profiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
        var body = await RequestBody.ReadAsync(http);
        var input = body.Root is JsonObject o && o["interests"] is { } inner ? inner : body.Root ?? new JsonArray();
        await profiles.UpdateAsync(p, new ProfileChange(null, input, replace), ProfileEndpoints.Source, http.RequestAborted);
        return RestResults.NoContent();
    }
}
