using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// Changes a webhook from the form through <see cref="WebhookService.UpdateAsync"/>, as <c>PUT /v3/webhook/{id}</c>
/// does. Another account's webhook is not found. Editors and admins only.
/// </summary>
internal sealed class WebhookEditModel(WebhookService webhooks, DatabaseService databases, ILogger<WebhookEditModel> logger) : PageModel
{
    public string Id { get; private set; } = "";

    public WebhookForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        // Looked up first: another account's id is a 404 whatever the role.
        var webhook = await webhooks.RequireAsync(user.AccountId, Text(id), HttpContext.RequestAborted);
        if (!user.Role.CanEdit()) return StatusCode(StatusCodes.Status403Forbidden);
        Id = Text(id);
        Form = WebhookForm.From(webhook);
        Form.Scopes = await WebhookForm.ScopesAsync(user.AccountId, databases, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        var webhook = await webhooks.RequireAsync(user.AccountId, Text(id), HttpContext.RequestAborted);
        Id = Text(id);
        Form = WebhookForm.From(Request.Form);
        try
        {
            await webhooks.UpdateAsync(webhook, Form.Body(), HttpContext.RequestAborted);
            DashboardLog.WebhookChanged(logger, webhook.Id, user.AccountId, user.Id);
            return Redirect(WebhooksModel.Path + "/" + Id);
        }
        catch (RequestRejectedException ex)
        {
            Form.Refused(ex.Message);
        }

        Form.Scopes = await WebhookForm.ScopesAsync(user.AccountId, databases, HttpContext.RequestAborted);
        return Page();
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
