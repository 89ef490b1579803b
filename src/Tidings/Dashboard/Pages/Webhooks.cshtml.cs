using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Profiles;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's webhooks, a page at a time: handler, triggers, scope, state, newest attempt and backlog, each read
/// from the webhook and delivery services as REST reads them.
/// </summary>
internal sealed class WebhooksModel(WebhookService webhooks, WebhookDeliveryService delivery, DatabaseService databases, CollectionService collections, TimeProvider time)
    : PageModel
{
    public const string Path = "/dashboard/webhooks";
    public const int PageSize = 50;

    public IReadOnlyList<WebhookRow> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public DateTimeOffset Now { get; private set; }

    /// <summary>Whether the user may send test calls ("Check now").</summary>
    public bool CanEdit { get; private set; }

    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => (long)PageNumber * PageSize < Total;

    // The query's 'page', by name: a parameter called 'page' would bind Razor Pages' own route value (the page's path).
    public async Task OnGetAsync([FromQuery(Name = "page")] int number = 1)
    {
        var account = DashboardClaims.Require(User).AccountId;
        CanEdit = DashboardClaims.Require(User).Role.CanEdit();
        var ct = HttpContext.RequestAborted;
        PageNumber = Math.Max(1, number);
        Now = time.GetUtcNow();
        var (items, total) = await webhooks.ListAsync(account, (long)(PageNumber - 1) * PageSize, PageSize, ct);
        Total = total;
        var scopes = new WebhookScopes(account, databases, collections);
        var rows = new List<WebhookRow>(items.Count);
        foreach (var item in items) rows.Add(await WebhookRow.ReadAsync(account, item, delivery, scopes, ct));
        Rows = rows;
    }
}
