using System.Globalization;
using Dapper;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>One thing the server wants an account to know, e.g. that it disabled a webhook that kept failing.</summary>
public sealed record AccountNotice(long Id, long AccountId, string Kind, long? SubjectId, string Message, long Created);

/// <summary>
/// Notices to an account (<c>account_notices</c>): written by features inside their own transaction, read through
/// <c>GET /v3/notices</c>, newest first, so a dashboard or a monitoring script can pick them up.
/// </summary>
public static class AccountNotices
{
    public static Task AddAsync(WriteContext w, long accountId, string kind, long? subjectId, string message, long createdMs) =>
        w.Connection.ExecuteAsync(
            "INSERT INTO account_notices (account_id, kind, subject_id, message, created) VALUES (@accountId, @kind, @subjectId, @message, @createdMs)",
            new { accountId, kind, subjectId, message, createdMs }, w.Transaction);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/notices", async (HttpContext http, IStorage storage, CopernicaTime time) =>
        {
            var accountId = http.Caller().AccountId;
            var paging = Paging.From(http.Request);
            await using var c = await storage.OpenReadAsync(http.RequestAborted);
            var items = (await c.QueryAsync<AccountNotice>(
                "SELECT id, account_id AS AccountId, kind, subject_id AS SubjectId, message, created FROM account_notices WHERE account_id = @accountId ORDER BY id DESC LIMIT @take OFFSET @skip",
                new { accountId, take = paging.Take, skip = paging.Offset })).ToList();
            var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_notices WHERE account_id = @accountId", new { accountId });
            return paging.Result(items, total, (w, n) =>
            {
                w.WriteStartObject();
                w.WriteString("ID", n.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("kind", n.Kind);
                if (n.SubjectId is { } subject) w.WriteString("subject", subject.ToString(CultureInfo.InvariantCulture)); else w.WriteNull("subject");
                w.WriteString("message", n.Message);
                w.WriteString("created", time.FormatMs(n.Created));
                w.WriteEndObject();
            });
        }).WithSummary("What the server wants the account to know (e.g. a webhook it disabled), newest first");
    }
}
