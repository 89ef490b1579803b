using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Rejections;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One call made for a webhook, as the attempt log stored it (status, latency, error, response excerpt, remote address),
/// with its request body re-rendered from the journal on view, and a Retry button for each of its failed deliveries.
/// </summary>
internal sealed class WebhookAttemptModel(WebhookDeliveryService delivery, TimeProvider time) : PageModel
{
    public string Id { get; private set; } = "";
    public string Handler { get; private set; } = "";
    public AttemptDetail Detail { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }
    public bool CanEdit { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(long id, long attempt) => await LoadAsync(id, attempt);

    /// <summary>Sends a failed delivery of this attempt again (a replay of one delivery), and shows that replay.</summary>
    public async Task<IActionResult> OnPostRetryAsync(long id, long attempt)
    {
        await LoadAsync(id, attempt);
        var deliveryId = Request.Form["delivery"].ToString();
        // Only a delivery of this attempt: the form cannot be turned into a retry of anything else.
        if (!Detail.Deliveries.Any(d => d.Id.ToString(CultureInfo.InvariantCulture) == deliveryId)) return NotFound();
        try
        {
            var webhook = await delivery.RequireWebhookAsync(DashboardClaims.Require(User).AccountId, Id, HttpContext.RequestAborted);
            var replay = await delivery.RetryDeliveryAsync(webhook, deliveryId, HttpContext.RequestAborted);
            return Redirect($"{WebhooksModel.Path}/{Id}/replays/{replay.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (RequestRejectedException ex)
        {
            Error = ex.Message;
            return Page();
        }
    }

    private async Task LoadAsync(long id, long attempt)
    {
        var user = DashboardClaims.Require(User);
        CanEdit = user.Role.CanEdit();
        Id = id.ToString(CultureInfo.InvariantCulture);
        var ct = HttpContext.RequestAborted;
        Handler = (await delivery.RequireWebhookAsync(user.AccountId, Id, ct)).Handler;
        Detail = await delivery.AttemptAsync(user.AccountId, Id, attempt.ToString(CultureInfo.InvariantCulture), ct);
        Now = time.GetUtcNow();
    }
}
