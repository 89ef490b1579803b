using Dapper;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>One thing the server wants an account to know, e.g. that it disabled a webhook that kept failing.</summary>
internal sealed record AccountNotice(long Id, long AccountId, string Kind, long? SubjectId, string Message, long Created);

/// <summary>
/// Notices to an account (<c>account_notices</c>): written by features inside their own transaction, read through
/// <see cref="AccountService"/> (<c>GET /v3/notices</c>), newest first, so a dashboard or a monitoring script can pick them up.
/// </summary>
internal static class AccountNotices
{
    public static Task AddAsync(WriteContext w, long accountId, string kind, long? subjectId, string message, long createdMs) =>
        w.Connection.ExecuteAsync(
            "INSERT INTO account_notices (account_id, kind, subject_id, message, created) VALUES (@accountId, @kind, @subjectId, @message, @createdMs)",
            new { accountId, kind, subjectId, message, createdMs }, w.Transaction);

    /// <summary>A page of the account's notices, newest first, and how many it has in all.</summary>
    public static async Task<(IReadOnlyList<AccountNotice> Items, long Total)> ListAsync(IStorage storage, long accountId, long offset, long take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<AccountNotice>(
            "SELECT id, account_id AS AccountId, kind, subject_id AS SubjectId, message, created FROM account_notices WHERE account_id = @accountId ORDER BY id DESC LIMIT @take OFFSET @skip",
            new { accountId, take, skip = offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_notices WHERE account_id = @accountId", new { accountId });
        return (items, total);
    }
}
