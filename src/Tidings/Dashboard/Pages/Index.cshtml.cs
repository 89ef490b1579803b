using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Accounts;
using Tidings.Profiles;
using Tidings.Statistics;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The home page: the account's name and counts read from the feature services, nothing estimated; its events of the
/// last 24 hours from the hourly aggregates; and a live chart of its events per second (<see cref="LiveEvents"/>, drawn
/// by a small script; without it the page shows the same counts).
/// </summary>
internal sealed class IndexModel(
    AccountService accounts, DatabaseService databases, WebhookService webhooks, DomainService domains, UserService users, StatisticsService statistics, TimeProvider time)
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

    /// <summary>The account's events in the hours that started in the last 24 (the current one included), by journal type.</summary>
    public IReadOnlyList<(string Type, long Count)> RecentEvents { get; private set; } = [];
    public long RecentTotal => RecentEvents.Sum(e => e.Count);

    /// <summary>What the home page calls events of a journal type (a mail attempt is a message sent).</summary>
    public static string EventName(string type) => type switch
    {
        "attempt" => "sent",
        "delivery" => "delivered",
        "bounce" => "bounces",
        "failure" => "failures",
        "retry" => "retries",
        "open" => "opens",
        "click" => "clicks",
        "unsubscribe" => "unsubscribes",
        "abuse" => "complaints",
        "profile.create" => "profiles created",
        "profile.update" => "profiles changed",
        "profile.delete" => "profiles removed",
        "subprofile.create" => "subprofiles created",
        "subprofile.update" => "subprofiles changed",
        "subprofile.delete" => "subprofiles removed",
        _ => type,
    };

    public async Task OnGetAsync()
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        AccountName = (await accounts.IdentityAsync(account, ct)).Name;
        Databases = (await databases.ListAsync(account, 0, 1, ct)).Total;
        Domains = (await domains.ListAsync(account, 0, 1, ct)).Total;
        Users = (await users.ListAsync(account, ct)).Count;
        var hours = await statistics.AccountHoursAsync(account, time.GetUtcNow().AddHours(-23).ToUnixTimeMilliseconds(), ct);
        RecentEvents = hours.GroupBy(h => h.Type).Select(g => (g.Key, g.Sum(h => h.Total))).OrderByDescending(e => e.Item2).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();

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
