using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// "Check now": a test call to every webhook of the account at once (a sample event of each one's first trigger), with
/// a row per webhook saying how it went. The answer to the post is the result.
/// </summary>
internal sealed class WebhookCheckModel(WebhookDeliveryService delivery) : PageModel
{
    public const string Path = "/dashboard/webhooks/check";

    public IReadOnlyList<WebhookCheckRow>? Results { get; private set; }

    public bool CanEdit { get; private set; }

    public void OnGet() => CanEdit = DashboardClaims.Require(User).Role.CanEdit();

    public async Task OnPostAsync()
    {
        var user = DashboardClaims.Require(User);
        CanEdit = user.Role.CanEdit();
        var results = await delivery.CheckAllAsync(user.AccountId, HttpContext.RequestAborted);
        Results = results.Select(r => new WebhookCheckRow(r)).ToList();
    }
}

/// <summary>One webhook's check as the table shows it.</summary>
internal sealed record WebhookCheckRow(WebhookTestResult Result)
{
    public string Id => Result.WebhookId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Outcome => Result switch
    {
        { Validated: false } => "Not sent",
        { Success: true } => "Success",
        { Status: { } status } => "Failed (HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
        _ => "No answer",
    };
}
