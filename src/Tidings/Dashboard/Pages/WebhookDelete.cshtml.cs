using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>Asks before a webhook is deleted (GET), and deletes it through <see cref="WebhookService.DeleteAsync"/> (POST).</summary>
internal sealed class WebhookDeleteModel(WebhookService webhooks, ILogger<WebhookDeleteModel> logger) : PageModel
{
    public WebhookRecord Webhook { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        Webhook = await webhooks.RequireAsync(user.AccountId, Text(id), HttpContext.RequestAborted);
        return user.Role.CanEdit() ? Page() : StatusCode(StatusCodes.Status403Forbidden);
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        var deleted = await webhooks.DeleteAsync(user.AccountId, Text(id), HttpContext.RequestAborted);
        DashboardLog.WebhookDeleted(logger, deleted, user.AccountId, user.Id);
        return Redirect(WebhooksModel.Path + "?deleted=" + Text(deleted));
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
