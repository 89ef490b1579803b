using Tidings.Rest;

namespace Tidings.Audit;

/// <summary>REST v3 (Tidings extension): the account's audit log, newest first; any token of the account may read it.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (HttpContext http, AuditTrail audit, CopernicaTime time) =>
        {
            var paging = Paging.From(http.Request);
            var type = QueryValues.Get(http.Request, "type");
            var (items, total) = await audit.ListAsync(http.Caller().AccountId, type, paging.Offset, paging.Take, http.RequestAborted);
            return CopernicaJson.Json(paging.Page(items.Select(e => AuditAnswer.From(e, time)).ToList(), total), AuditJsonContext.Default.PageAuditAnswer);
        }).WithSummary("Who changed what in the account and when (webhooks, domains, secrets, replays, tokens, users), newest first; optional type filters on the target type");
    }
}
