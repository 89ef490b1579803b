using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>REST v3: one subprofile and its fields.</summary>
internal static class SubprofileItemEndpoints
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/subprofile/{id}", async (HttpContext http, string id, SubprofileService subprofiles, CopernicaTime time) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(SubprofileAnswer.From(s.Table, s.Row, s.Collection.Id, dataOnly: false, time), ProfilesJsonContext.Default.SubprofileAnswer);
        }).WithSummary("One subprofile");

        g.MapMethods("/subprofile/{id}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, SubprofileService subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var body = (await RequestBody.ReadAsync(http)).Object;
            var secret = body["secret"] is { } v ? FieldTypes.ToScalarText(v) : null;
            await subprofiles.UpdateAsync(s, new SubprofileChange(body["fields"] as JsonObject, secret), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a subprofile's fields or secret");

        g.MapDelete("/subprofile/{id}", async (HttpContext http, string id, SubprofileService subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await subprofiles.DeleteAsync(s, ProfileEndpoints.Source, keepModified: http.ApiVersion() == 2, http.RequestAborted);
            return RestResults.Deleted(http, "subprofile", s.Row.Id);
        }).WithSummary("Remove a subprofile");

        g.MapGet("/subprofile/{id}/fields", async (HttpContext http, string id, SubprofileService subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            return CopernicaJson.Json(FieldValues.Of(s.Table, s.Row), ProfilesJsonContext.Default.FieldValues);
        }).WithSummary("A subprofile's fields as a flat object");

        g.MapMethods("/subprofile/{id}/fields", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, SubprofileService subprofiles) =>
        {
            var s = await subprofiles.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await subprofiles.UpdateAsync(s, new SubprofileChange((await RequestBody.ReadAsync(http)).Object), ProfileEndpoints.Source, http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Update a subprofile's fields from a flat object");
    }
}
