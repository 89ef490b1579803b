using Tidings.Audit;
using Tidings.Rejections;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>
/// Accounts, their access tokens and what the server wants them to know: what the REST API, the command line and the
/// dashboard share. Token and account changes go to the audit log.
/// </summary>
internal sealed class AccountService(AccountStore accounts, IStorage storage, AuditTrail audit)
{
    public const int MaxNameLength = 100;

    /// <summary>The account; Copernica's "Invalid access token" rejection when it no longer exists.</summary>
    public async Task<Account> IdentityAsync(long accountId, CancellationToken ct) =>
        await accounts.FindAccountAsync(accountId, ct) ?? throw new RequestRejectedException(CopernicaErrors.InvalidAccessToken);

    /// <summary>A page of the account's notices, newest first, and how many it has in all.</summary>
    public Task<(IReadOnlyList<AccountNotice> Items, long Total)> NoticesAsync(long accountId, long offset, long take, CancellationToken ct) =>
        AccountNotices.ListAsync(storage, accountId, offset, take, ct);

    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct) => accounts.ListAccountsAsync(ct);

    public Task<long> CountAsync(CancellationToken ct) => accounts.CountAccountsAsync(ct);

    /// <summary>A new account with a read-write token named <c>default</c>; the token is in the result only.</summary>
    public async Task<(Account Account, CreatedToken Token)> CreateAsync(string name, CancellationToken ct)
    {
        var account = await accounts.CreateAccountAsync(name, ct: ct);
        return (account, await CreateTokenAsync(account.Id, "default", canWrite: true, ct) ?? throw new InvalidOperationException("The new account is gone"));
    }

    /// <summary>Renames the account (what the dashboard and <c>GET identity</c> show); the name must not be empty.</summary>
    public async Task<Account> RenameAsync(long accountId, string? name, CancellationToken ct)
    {
        var account = await IdentityAsync(accountId, ct);
        var trimmed = CheckName(name, "account");
        if (trimmed == account.Name) return account;
        await accounts.RenameAccountAsync(accountId, trimmed, ct);
        await audit.RecordAsync(accountId, AuditActions.Changed, AuditTargets.Account, accountId, $"name: {trimmed}", ct);
        return account with { Name = trimmed };
    }

    /// <summary>The account's tokens that still work, oldest first (names and kinds, never the values).</summary>
    public Task<IReadOnlyList<AccessToken>> TokensAsync(long accountId, CancellationToken ct) => accounts.ListTokensAsync(accountId, ct);

    /// <summary>A new token for the account, or null when there is no such account; the value is in the result only.</summary>
    public async Task<CreatedToken?> CreateTokenAsync(long accountId, string? name, bool canWrite, CancellationToken ct)
    {
        var trimmed = CheckName(name, "token");
        if (await accounts.FindAccountAsync(accountId, ct) is null) return null;
        var token = await accounts.CreateTokenAsync(accountId, trimmed, canWrite, ct);
        await audit.RecordAsync(accountId, AuditActions.Created, AuditTargets.AccessToken, token.TokenId, $"'{trimmed}', {(canWrite ? "read-write" : "read-only")}", ct);
        return token;
    }

    /// <summary>Revokes a token of any account (the command line); false when there is no such token or it was revoked already.</summary>
    public async Task<bool> RevokeTokenAsync(long tokenId, CancellationToken ct) =>
        await accounts.FindTokenAsync(tokenId, ct) is { Revoked: null } token && await RevokeAsync(token, ct);

    /// <summary>Revokes one of the account's tokens; a token of another account, or one revoked already, is a missing one.</summary>
    public async Task RevokeTokenAsync(long accountId, long tokenId, CancellationToken ct)
    {
        if (await accounts.FindTokenAsync(tokenId, ct) is not { Revoked: null } token || token.AccountId != accountId || !await RevokeAsync(token, ct))
            throw new RequestRejectedException("No such access token");
    }

    private async Task<bool> RevokeAsync(AccessToken token, CancellationToken ct)
    {
        if (!await accounts.RevokeTokenAsync(token.Id, ct)) return false;
        await audit.RecordAsync(token.AccountId, AuditActions.Revoked, AuditTargets.AccessToken, token.Id, $"'{token.Name}'", ct);
        return true;
    }

    private static string CheckName(string? name, string what)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new RequestRejectedException($"Give the {what} a name");
        if (trimmed.Length > MaxNameLength) throw new RequestRejectedException($"The {what}'s name may have at most {MaxNameLength} characters");
        if (trimmed.Any(char.IsControl)) throw new RequestRejectedException($"The {what}'s name may not contain control characters");
        return trimmed;
    }
}
