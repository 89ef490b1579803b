using Dapper;
using Tidings.Storage;

namespace Tidings.Users;

/// <summary>The <c>users</c> table: who may sign in, their password hash and their lockout state.</summary>
internal sealed class UserStore(IStorage storage)
{
    private const string Columns =
        "id, account_id AS AccountId, email, password_hash AS PasswordHash, role, must_change_password AS MustChangePassword, " +
        "security_stamp AS SecurityStamp, failed_sign_ins AS FailedSignIns, locked_until AS LockedUntil, created, last_sign_in AS LastSignIn";

    /// <summary>The new user's id, or null when the address is taken (by any account).</summary>
    public async Task<long?> InsertAsync(long accountId, string email, string passwordHash, UserRole role, bool mustChangePassword, string stamp, long now, CancellationToken ct)
    {
        try
        {
            return await storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO users (account_id, email, password_hash, role, must_change_password, security_stamp, created) " +
                "VALUES (@accountId, @email, @passwordHash, @role, @must, @stamp, @now) RETURNING id",
                new { accountId, email, passwordHash, role = role.Name(), must = mustChangePassword ? 1 : 0, stamp, now }, w.Transaction), ct);
        }
        catch (Exception ex) when (storage.Dialect.IsUniqueViolation(ex))
        {
            return null;
        }
    }

    public async Task<UserRow?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {Columns} FROM users WHERE email = @email", new { email });
    }

    public async Task<UserRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {Columns} FROM users WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(long accountId, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return (await connection.QueryAsync<UserRow>($"SELECT {Columns} FROM users WHERE account_id = @accountId ORDER BY email", new { accountId })).ToList();
    }

    /// <summary>
    /// Gives the account's user a role; false when there is no such user, or when the change would leave the account
    /// without an admin (checked in the same statement, so two admins demoting each other cannot both succeed).
    /// </summary>
    public async Task<bool> SetRoleAsync(long accountId, long id, UserRole role, CancellationToken ct) =>
        await storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE users SET role = @role WHERE id = @id AND account_id = @accountId AND " +
            "(@role = 'admin' OR role <> 'admin' OR (SELECT COUNT(*) FROM users WHERE account_id = @accountId AND role = 'admin') > 1)",
            new { accountId, id, role = role.Name() }, w.Transaction), ct) > 0;

    /// <summary>Removes the account's user; false when there is no such user or they are the account's last admin.</summary>
    public async Task<bool> DeleteAsync(long accountId, long id, CancellationToken ct) =>
        await storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "DELETE FROM users WHERE id = @id AND account_id = @accountId AND " +
            "(role <> 'admin' OR (SELECT COUNT(*) FROM users WHERE account_id = @accountId AND role = 'admin') > 1)",
            new { accountId, id }, w.Transaction), ct) > 0;

    /// <summary>
    /// Counts a failed sign-in in the database (so every node sees it) and locks the address once
    /// <paramref name="maxFailures"/> is reached; returns the lock's end, or null while still below the limit.
    /// </summary>
    public Task<long?> RecordFailureAsync(long id, int maxFailures, long lockedUntil, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var failures = await w.Connection.ExecuteScalarAsync<long>(
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @id RETURNING failed_sign_ins", new { id }, w.Transaction);
            if (failures < maxFailures) return (long?)null;
            await w.Connection.ExecuteAsync(
                "UPDATE users SET failed_sign_ins = 0, locked_until = @lockedUntil WHERE id = @id", new { id, lockedUntil }, w.Transaction);
            return lockedUntil;
        }, ct);

    public Task RecordSignInAsync(long id, long now, string? rehashed, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in = @now, password_hash = COALESCE(@rehashed, password_hash) WHERE id = @id",
            new { id, now, rehashed }, w.Transaction), ct);

    public Task SetPasswordAsync(long id, string passwordHash, bool mustChangePassword, string stamp, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE users SET password_hash = @passwordHash, must_change_password = @must, security_stamp = @stamp, failed_sign_ins = 0, locked_until = NULL WHERE id = @id",
            new { id, passwordHash, must = mustChangePassword ? 1 : 0, stamp }, w.Transaction), ct);
}

/// <summary>A row of <c>users</c> with its password hash and lockout state; only the user feature sees it.</summary>
internal sealed record UserRow(
    long Id,
    long AccountId,
    string Email,
    string PasswordHash,
    string Role,
    long MustChangePassword,
    string SecurityStamp,
    long FailedSignIns,
    long? LockedUntil,
    long Created,
    long? LastSignIn)
{
    public User ToUser() => new(Id, AccountId, Email, UserRoles.TryParse(Role, out var role) ? role : UserRole.ReadOnly,
        MustChangePassword != 0, SecurityStamp, Created, LastSignIn);
}
