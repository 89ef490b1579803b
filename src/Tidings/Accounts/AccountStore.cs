using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Accounts;

internal sealed record Account(long Id, string Name, string Description, string Company, long Created);

internal sealed record CreatedToken(long TokenId, long AccountId, string Token, bool CanWrite);

/// <summary>An access token as the account sees it: never its value (only its hash is stored).</summary>
internal sealed record AccessToken(long Id, long AccountId, string Name, bool CanWrite, long Created, long? Revoked);

/// <summary>Accounts and their access tokens.</summary>
internal sealed class AccountStore(IStorage storage, TimeProvider time, IOptions<AccountsOptions> options) : ICallerLookup
{
    private readonly ConcurrentDictionary<string, (Caller Caller, long ExpiresAt)> _cache = new(StringComparer.Ordinal);

    public async Task<Account> CreateAccountAsync(string name, string description = "", string company = "", CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO accounts (name, description, company, created) VALUES (@name, @description, @company, @now) RETURNING id",
            new { name, description, company, now }, w.Transaction), ct);
        return new Account(id, name, description, company, now);
    }

    public async Task<CreatedToken> CreateTokenAsync(long accountId, string name, bool canWrite, CancellationToken ct = default)
    {
        var token = AccessTokens.Generate();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO access_tokens (account_id, name, token_hash, prefix, can_write, created) VALUES (@accountId, @name, @hash, @prefix, @canWrite, @now) RETURNING id",
            new { accountId, name, hash = AccessTokens.Hash(token), prefix = AccessTokens.Prefix(token), canWrite = canWrite ? 1 : 0, now }, w.Transaction), ct);
        return new CreatedToken(id, accountId, token, canWrite);
    }

    public async Task<bool> RevokeTokenAsync(long tokenId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE access_tokens SET revoked = @now WHERE id = @tokenId AND revoked IS NULL", new { tokenId, now }, w.Transaction), ct);
        _cache.Clear();
        return changed > 0;
    }

    /// <summary>The account's tokens that are not revoked, oldest first.</summary>
    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(long accountId, CancellationToken ct = default)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return (await connection.QueryAsync<AccessTokenRow>(
            $"SELECT {TokenColumns} FROM access_tokens WHERE account_id = @accountId AND revoked IS NULL ORDER BY id", new { accountId })).Select(r => r.ToToken()).ToList();
    }

    public async Task<AccessToken?> FindTokenAsync(long tokenId, CancellationToken ct = default)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<AccessTokenRow>($"SELECT {TokenColumns} FROM access_tokens WHERE id = @tokenId", new { tokenId }))?.ToToken();
    }

    public Task RenameAccountAsync(long id, string name, CancellationToken ct = default) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync("UPDATE accounts SET name = @name WHERE id = @id", new { id, name }, w.Transaction), ct);

    public async Task<Account?> FindAccountAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(
            "SELECT id, name, description, company, created FROM accounts WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken ct = default)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return (await connection.QueryAsync<Account>("SELECT id, name, description, company, created FROM accounts ORDER BY id")).ToList();
    }

    public async Task<long> CountAccountsAsync(CancellationToken ct = default)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts");
    }

    /// <summary>The caller a presented token stands for, or null if the token is unknown or revoked.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256) return null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = AccessTokens.Hash(token);
        var key = Convert.ToHexString(hash);
        if (_cache.TryGetValue(key, out var cached) && cached.ExpiresAt > now) return cached.Caller;

        await using var connection = await storage.OpenReadAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(
            "SELECT id, account_id AS AccountId, name, token_hash AS TokenHash, can_write AS CanWrite FROM access_tokens WHERE token_hash = @hash AND revoked IS NULL",
            new { hash });
        if (row is null || !AccessTokens.Matches(token, row.TokenHash)) return null;

        var caller = new Caller(row.AccountId, row.Id, row.CanWrite != 0, row.Name);
        var ttl = options.Value.TokenCacheSeconds * 1000L;
        if (ttl > 0) _cache[key] = (caller, now + ttl);
        return caller;
    }

    private const string TokenColumns = "id, account_id AS AccountId, name, can_write AS CanWrite, created, revoked";

    private sealed record AccessTokenRow(long Id, long AccountId, string Name, long CanWrite, long Created, long? Revoked)
    {
        public AccessToken ToToken() => new(Id, AccountId, Name, CanWrite != 0, Created, Revoked);
    }

    private sealed record TokenRow(long Id, long AccountId, string Name, byte[] TokenHash, long CanWrite);
}
