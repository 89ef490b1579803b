using Tidings.Rejections;
using Tidings.Storage;

namespace Tidings.Accounts;

/// <summary>The account a caller acts for, and what the server wants it to know: what REST, SOAP and the dashboard share.</summary>
internal sealed class AccountService(AccountStore accounts, IStorage storage)
{
    /// <summary>The account; Copernica's "Invalid access token" rejection when it no longer exists.</summary>
    public async Task<Account> IdentityAsync(long accountId, CancellationToken ct) =>
        await accounts.FindAccountAsync(accountId, ct) ?? throw new RequestRejectedException(CopernicaErrors.InvalidAccessToken);

    /// <summary>A page of the account's notices, newest first, and how many it has in all.</summary>
    public Task<(IReadOnlyList<AccountNotice> Items, long Total)> NoticesAsync(long accountId, long offset, long take, CancellationToken ct) =>
        AccountNotices.ListAsync(storage, accountId, offset, take, ct);
}
