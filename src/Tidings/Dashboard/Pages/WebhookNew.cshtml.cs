using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// Creates a webhook from the form through <see cref="WebhookService"/>, as <c>POST /v3/webhooks</c> does; a refused
/// body is shown with the service's own text and the values as typed. Editors and admins only.
/// </summary>
internal sealed class WebhookNewModel(WebhookService webhooks, DatabaseService databases, ILogger<WebhookNewModel> logger) : PageModel
{
    public WebhookForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var user = DashboardClaims.Require(User);
        if (!user.Role.CanEdit()) return StatusCode(StatusCodes.Status403Forbidden);
        Form.Scopes = await WebhookForm.ScopesAsync(user.AccountId, databases, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = DashboardClaims.Require(User);
        Form = WebhookForm.From(Request.Form);
        try
        {
            var id = await webhooks.CreateAsync(user.AccountId, Form.Body(), HttpContext.RequestAborted);
            DashboardLog.WebhookCreated(logger, id, user.AccountId, user.Id);
            return Redirect(WebhooksModel.Path + "/" + id.ToString(CultureInfo.InvariantCulture));
        }
        catch (RequestRejectedException ex)
        {
            Form.Refused(ex.Message);
        }

        Form.Scopes = await WebhookForm.ScopesAsync(user.AccountId, databases, HttpContext.RequestAborted);
        return Page();
    }
}
