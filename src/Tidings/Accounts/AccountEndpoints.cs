using Tidings.Rest;

namespace Tidings.Accounts;

/// <summary>REST v3: the account of the access token, and its notices.</summary>
internal static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/identity", async (HttpContext http, AccountService accounts) =>
        {
            var account = await accounts.IdentityAsync(http.Caller().AccountId, http.RequestAborted);
            return CopernicaJson.Json(IdentityAnswer.From(account), AccountJsonContext.Default.IdentityAnswer);
        }).WithSummary("The account the access token belongs to");

        api.MapGet("/notices", async (HttpContext http, AccountService accounts, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var (items, total) = await accounts.NoticesAsync(http.Caller().AccountId, paging.Offset, paging.Take, http.RequestAborted);
            var page = paging.Page(items.Select(n => NoticeAnswer.From(n, time)).ToList(), total);
            return CopernicaJson.Json(page, AccountJsonContext.Default.PageNoticeAnswer);
        }).WithSummary("What the server wants the account to know (e.g. a webhook it disabled), newest first");
    }
}
