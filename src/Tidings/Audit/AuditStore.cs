using Dapper;
using Tidings.Storage;

namespace Tidings.Audit;

/// <summary>The <c>audit_log</c> table: appended to, read newest first; nothing changes or deletes a row.</summary>
internal sealed class AuditStore(IStorage storage)
{
    private const string Columns =
        "id, account_id AS AccountId, created, actor_kind AS ActorKind, actor, action, target_type AS TargetType, target_id AS TargetId, detail";

    public Task<long> AddAsync(long accountId, long created, AuditActor actor, string action, string targetType, string targetId, string detail, CancellationToken ct) =>
        storage.WriteAsync(w => AddAsync(w, accountId, created, actor, action, targetType, targetId, detail), ct);

    /// <summary>Adds an entry inside a write the caller already has open (a change the server makes in its own transaction).</summary>
    public static Task<long> AddAsync(WriteContext w, long accountId, long created, AuditActor actor, string action, string targetType, string targetId, string detail) =>
        w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO audit_log (account_id, created, actor_kind, actor, action, target_type, target_id, detail) " +
            "VALUES (@accountId, @created, @kind, @text, @action, @targetType, @targetId, @detail) RETURNING id",
            new { accountId, created, kind = actor.Kind, text = actor.Text, action, targetType, targetId, detail }, w.Transaction);

    /// <summary>A page of the account's entries (of one target type when <paramref name="targetType"/> is set), newest first, and how many there are.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, long Total)> ListAsync(long accountId, string? targetType, long offset, long take, CancellationToken ct)
    {
        var where = targetType is null ? "account_id = @accountId" : "account_id = @accountId AND target_type = @targetType";
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<AuditEntry>(
            $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY id DESC LIMIT @take OFFSET @skip",
            new { accountId, targetType, take, skip = offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM audit_log WHERE {where}", new { accountId, targetType });
        return (items, total);
    }
}
