using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One webhook, read-only: its settings, its state and delivery status, and its newest attempts from the delivery
/// service. A webhook of another account is not found, as one that does not exist.
/// </summary>
internal sealed class WebhookDetailModel(WebhookService webhooks, WebhookDeliveryService delivery, DatabaseService databases, CollectionService collections, TimeProvider time)
    : PageModel
{
    public const int AttemptCount = 50;

    public WebhookRow Row { get; private set; } = null!;
    public IReadOnlyList<AttemptListItem> Attempts { get; private set; } = [];
    public long AttemptTotal { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        var text = id.ToString(CultureInfo.InvariantCulture);
        ValidatedWebhook webhook;
        try { webhook = await webhooks.GetAsync(account, text, ct); }
        catch (RequestRejectedException) { return NotFound(); }

        Now = time.GetUtcNow();
        Row = await WebhookRow.ReadAsync(account, webhook, delivery, new WebhookScopes(account, databases, collections), ct);
        (Attempts, AttemptTotal) = await delivery.AttemptsAsync(account, text, 0, AttemptCount, ct);
        return Page();
    }

    /// <summary>A delivery limit with its unit, as the settings table shows it.</summary>
    public static string Limit(long value, string unit) => DashboardFormat.Number(value) + " " + unit;
}
