using Tidings.Rejections;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>REST v3: the interests of a database.</summary>
internal static class InterestEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Interests");
        g.MapGet("/database/{id}/interests", async (HttpContext http, string id, DatabaseService databases, InterestService interests) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var page = DatabaseEndpoints.Page(http, await interests.ListAsync(d, http.RequestAborted), InterestAnswer.From);
            return CopernicaJson.Json(page, ProfilesJsonContext.Default.PageInterestAnswer);
        }).WithSummary("The interests of a database");

        g.MapPost("/database/{id}/interests", async (HttpContext http, string id, DatabaseService databases, InterestService interests) =>
        {
            var d = await databases.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            var interestId = await interests.CreateAsync(d, Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.Created(http, "interest", interestId);
        }).WithSummary("Add an interest (name, group)");

        g.MapGet("/interest", () => CopernicaJson.Error(CopernicaErrors.MissingPathElement(1))).ExcludeFromDescription();
        g.MapMethods("/interest/{id}", DatabaseEndpoints.PutOrPost, async (HttpContext http, string id, InterestService interests) =>
        {
            var interest = await interests.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await interests.UpdateAsync(interest, Change(await RequestBody.ReadAsync(http)), http.RequestAborted);
            return RestResults.NoContent();
        }).WithSummary("Rename an interest or move it to another group");

        g.MapDelete("/interest/{id}", async (HttpContext http, string id, InterestService interests) =>
        {
            var interest = await interests.RequireAsync(http.Caller().AccountId, id, http.RequestAborted);
            await interests.DeleteAsync(interest, http.RequestAborted);
            return RestResults.Deleted(http, "interest", interest.Id);
        }).WithSummary("Remove an interest from the database and from every profile");
    }

    private static InterestChange Change(RequestBody body) =>
        new(DatabaseEndpoints.Text(body.Object, "name"), DatabaseEndpoints.Text(body.Object, "group"));
}
