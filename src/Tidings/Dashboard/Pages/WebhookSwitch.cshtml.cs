using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The Enable/Disable button of a webhook's page: a post that switches it and goes back to the page. A webhook
/// disabled here says by whom and when, where one the delivery engine disabled says why it did.
/// </summary>
internal sealed class WebhookSwitchModel(WebhookService webhooks, TimeProvider time, ILogger<WebhookSwitchModel> logger) : PageModel
{
    public IActionResult OnGet(long id) => Redirect(WebhooksModel.Path + "/" + id.ToString(CultureInfo.InvariantCulture));

    public async Task<IActionResult> OnPostAsync(long id, [FromForm(Name = "enabled")] string? enabled)
    {
        var user = DashboardClaims.Require(User);
        var text = id.ToString(CultureInfo.InvariantCulture);
        var webhook = await webhooks.RequireAsync(user.AccountId, text, HttpContext.RequestAborted);
        var on = enabled == "true";
        var reason = $"Disabled in the dashboard by {user.Email} on {DashboardFormat.Time(time.GetUtcNow().ToUnixTimeMilliseconds())}";
        await webhooks.SetEnabledAsync(webhook, on, reason, HttpContext.RequestAborted);
        DashboardLog.WebhookSwitched(logger, webhook.Id, user.AccountId, on ? "enabled" : "disabled", user.Id);
        return Redirect(WebhooksModel.Path + "/" + text);
    }
}
