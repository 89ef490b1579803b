using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Rejections;
using Tidings.Users;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Domains;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One domain: what to publish for it, a Validate button that runs the check now and shows what it found, and the way to
/// remove it. The file is looked for next to each of the account's webhook handlers under the domain.
/// </summary>
internal sealed class DomainDetailModel(DomainService domains, WebhookService webhooks, ILogger<DomainDetailModel> logger) : PageModel
{
    /// <summary>Webhooks read to find the handlers under the domain, where its file is looked for.</summary>
    public const int MaxHandlers = 1000;

    public DomainChallenge Proof { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public string? Error { get; private set; }
    public string Path => DomainsModel.Path + "/" + Proof.Domain.Id.ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(long id)
    {
        await ReadAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, [FromForm(Name = "method")] string? method)
    {
        await ReadAsync(id);
        var user = DashboardClaims.Require(User);
        try
        {
            await domains.ValidateAsync(Proof.Domain, new JsonObject { ["method"] = method ?? "" }, HttpContext.RequestAborted);
            DashboardLog.DomainChanged(logger, Proof.Domain.Id, user.AccountId, "validated", user.Id);
            return Redirect(Path + "?validated=1");
        }
        catch (RequestRejectedException ex)
        {
            Error = DashboardText.Sentence(ex.Message);
            return Page();
        }
    }

    private async Task ReadAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        var ct = HttpContext.RequestAborted;
        var domain = await domains.RequireAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), ct);
        CanEdit = user.Role.CanEdit();
        var (hooks, _) = await webhooks.ListAsync(user.AccountId, 0, MaxHandlers, ct);
        var handlers = hooks.Select(h => h.Webhook.Handler).ToList();
        Proof = DomainChallenge.For(domain, handlers, null);
        if (CanEdit) Proof = Proof with { ValidateAction = Path };
    }
}
