using Tidings.Rejections;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>
/// Accounts, their access tokens and what the server wants them to know: what the REST API, the command line and, next,
/// SOAP and the dashboard share.
/// </summary>
internal sealed class AccountService(AccountStore accounts, IStorage storage)
{
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
        return (account, await accounts.CreateTokenAsync(account.Id, "default", canWrite: true, ct));
    }

    /// <summary>A new token for the account, or null when there is no such account.</summary>
    public async Task<CreatedToken?> CreateTokenAsync(long accountId, string name, bool canWrite, CancellationToken ct) =>
        await accounts.FindAccountAsync(accountId, ct) is null ? null : await accounts.CreateTokenAsync(accountId, name, canWrite, ct);

    /// <summary>Revokes a token; false when there is no such token or it was revoked already.</summary>
    public Task<bool> RevokeTokenAsync(long tokenId, CancellationToken ct) => accounts.RevokeTokenAsync(tokenId, ct);
}
