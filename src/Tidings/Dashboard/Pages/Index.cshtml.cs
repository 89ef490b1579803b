using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Accounts;
using Tidings.Profiles;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>The home page: the account's name and counts read from the feature services, nothing estimated.</summary>
internal sealed class IndexModel(AccountService accounts, DatabaseService databases, WebhookService webhooks, DomainService domains, UserService users)
    : PageModel
{
    private const int WebhookPage = 500;

    public string AccountName { get; private set; } = "";
    public long Databases { get; private set; }
    public long Webhooks { get; private set; }
    public long WebhooksEnabled { get; private set; }
    public long WebhooksDisabled { get; private set; }
    public long WebhooksValidated { get; private set; }
    public long Domains { get; private set; }
    public long Users { get; private set; }

    public async Task OnGetAsync()
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        AccountName = (await accounts.IdentityAsync(account, ct)).Name;
        Databases = (await databases.ListAsync(account, 0, 1, ct)).Total;
        Domains = (await domains.ListAsync(account, 0, 1, ct)).Total;
        Users = (await users.ListAsync(account, ct)).Count;

        for (long offset = 0; ; offset += WebhookPage)
        {
            var (items, total) = await webhooks.ListAsync(account, offset, WebhookPage, ct);
            Webhooks = total;
            WebhooksEnabled += items.Count(w => w.Webhook.Enabled);
            WebhooksDisabled += items.Count(w => !w.Webhook.Enabled);
            WebhooksValidated += items.Count(w => w.Validated);
            if (items.Count < WebhookPage || offset + items.Count >= total) break;
        }
    }
}
