using Dapper;
using Tidings.Storage;

namespace Tidings.Users;

/// <summary>The <c>user_sessions</c> table: API sessions started by a user's login, by the hash of their secret value.</summary>
internal sealed class UserSessionStore(IStorage storage)
{
    public Task InsertAsync(string tokenHash, long userId, string stamp, long now, long expires, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "INSERT INTO user_sessions (token_hash, user_id, security_stamp, created, last_used, expires) VALUES (@tokenHash, @userId, @stamp, @now, @now, @expires)",
            new { tokenHash, userId, stamp, now, expires }, w.Transaction), ct);

    public async Task<UserSessionRow?> FindAsync(string tokenHash, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserSessionRow>(
            "SELECT user_id AS UserId, security_stamp AS SecurityStamp, created, last_used AS LastUsed, expires FROM user_sessions WHERE token_hash = @tokenHash",
            new { tokenHash });
    }

    public Task TouchAsync(string tokenHash, long now, long expires, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE user_sessions SET last_used = @now, expires = @expires WHERE token_hash = @tokenHash",
            new { tokenHash, now, expires }, w.Transaction), ct);

    public Task DeleteAsync(string tokenHash, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync("DELETE FROM user_sessions WHERE token_hash = @tokenHash", new { tokenHash }, w.Transaction), ct);

    /// <summary>Forgets sessions that have expired, and those of users who are gone.</summary>
    public Task<int> DeleteExpiredAsync(long now, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "DELETE FROM user_sessions WHERE expires <= @now OR user_id NOT IN (SELECT id FROM users)", new { now }, w.Transaction), ct);
}

/// <summary>A row of <c>user_sessions</c>.</summary>
internal sealed record UserSessionRow(long UserId, string SecurityStamp, long Created, long LastUsed, long Expires);
