using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// The server on 127.0.0.1 (a free port) for the browser, with one account; every test makes its own users through
/// <see cref="UserService"/>, so that a lockout or a password change in one test does not reach another.
/// </summary>
public sealed class DashboardApp : KestrelTidingsApp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public long AccountId { get; private set; }

    /// <summary>
    /// A host name the server resolves to 127.0.0.1 (delivery <c>Hosts</c> setting), for local test sites under
    /// <see cref="LocalSiteDomain"/>: a webhook handler there can have its domain validated by a verification file.
    /// </summary>
    public const string LocalSiteHost = "site." + LocalSiteDomain;

    public const string LocalSiteDomain = "webhook-config.test";

    /// <summary>
    /// Webhooks may call the tests' receivers on 127.0.0.1 under <see cref="Webhooks.Dispatch.DeliveryApp.ReceiverHost"/>
    /// (as in <see cref="Webhooks.Dispatch.DeliveryApp"/>) and the local sites under <see cref="LocalSiteDomain"/>.
    /// </summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Delivery:Hosts:" + Webhooks.Dispatch.DeliveryApp.ReceiverHost] = "127.0.0.1",
        ["Webhooks:Delivery:Hosts:" + LocalSiteHost] = "127.0.0.1",
    };

    /// <summary>Failed sign-ins in a row after which the server locks an address out.</summary>
    public int MaxFailedSignIns => Services.GetRequiredService<IOptions<UsersOptions>>().Value.MaxFailedSignIns;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var (account, _) = await Services.GetRequiredService<AccountService>().CreateAsync("Example shop", CancellationToken.None);
        AccountId = account.Id;
    }

    /// <summary>A user of the account with a password of their own, or with a one-time password to replace first.</summary>
    internal async Task<DashboardUser> NewUserAsync(UserRole role, bool oneTimePassword = false)
    {
        var email = $"{role.Name()}-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var password = oneTimePassword ? null : "Correct horse " + Guid.NewGuid().ToString("N")[..8];
        var (user, oneTime) = await Services.GetRequiredService<UserService>().CreateAsync(AccountId, email, role, password, Ct);
        return new DashboardUser(user.Id, email, password ?? oneTime!);
    }

    /// <summary>The e-mail addresses of the account's users, as the store has them.</summary>
    internal async Task<IReadOnlyList<string>> UserEmailsAsync() =>
        (await Services.GetRequiredService<UserService>().ListAsync(AccountId, Ct)).Select(u => u.Email).ToList();
}

/// <summary>A user the tests sign in as.</summary>
internal sealed record DashboardUser(long Id, string Email, string Password);
