using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// A replay's progress as JSON, for <c>replay-progress.js</c> on the replay page: behind the dashboard sign-in like
/// every page, and scoped to the account (another account's replay is a 404, as the page).
/// </summary>
internal sealed class WebhookReplayProgressModel(WebhookDeliveryService delivery) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, long replay)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var (r, progress) = await delivery.GetReplayAsync(
            account, id.ToString(CultureInfo.InvariantCulture), replay.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        var view = ReplayView.Of(r, progress);
        var json = new JsonObject
        {
            ["status"] = r.Status,
            ["scanned"] = r.Scanned,
            ["total"] = r.Total,
            ["queued"] = r.Queued,
            ["delivered"] = progress.Delivered,
            ["pending"] = progress.Pending,
            ["failed"] = progress.Failed,
            ["scanPercent"] = view.ScanPercent,
            ["sentPercent"] = view.SentPercent,
            ["finished"] = view.Finished,
            ["text"] = view.Text,
        };
        Response.Headers.CacheControl = "no-store";
        return Content(json.ToJsonString(), "application/json; charset=utf-8");
    }
}
