using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Accounts;

internal sealed record Account(long Id, string Name, string Description, string Company, long Created);

internal sealed record CreatedToken(long TokenId, long AccountId, string Token, bool CanWrite);

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
            "SELECT id, account_id AS AccountId, token_hash AS TokenHash, can_write AS CanWrite FROM access_tokens WHERE token_hash = @hash AND revoked IS NULL",
            new { hash });
        if (row is null || !AccessTokens.Matches(token, row.TokenHash)) return null;

        var caller = new Caller(row.AccountId, row.Id, row.CanWrite != 0);
        var ttl = options.Value.TokenCacheSeconds * 1000L;
        if (ttl > 0) _cache[key] = (caller, now + ttl);
        return caller;
    }

    private sealed record TokenRow(long Id, long AccountId, byte[] TokenHash, long CanWrite);
}
