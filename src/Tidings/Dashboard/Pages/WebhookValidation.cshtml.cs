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
/// A webhook's Validation tab: whether its handler lies under a validated domain of the account; if not, the claim of
/// a domain it lies under with the TXT record and the verification file to publish, and a Validate button that runs the
/// real check (<see cref="DomainService.ValidateAsync"/>) and shows what it found on failure. With no claim yet, a form
/// claims one (the handler's host, or a parent domain).
/// </summary>
internal sealed class WebhookValidationModel(WebhookService webhooks, DomainService domains, ILogger<WebhookValidationModel> logger) : PageModel
{
    /// <summary>More domains than an account claims in practice; the ones the handler lies under are picked from them.</summary>
    public const int MaxDomains = 1000;

    public ValidatedWebhook Webhook { get; private set; } = null!;
    public string Host { get; private set; } = "";
    public bool CanEdit { get; private set; }

    /// <summary>The account's validated domains the handler lies under.</summary>
    public IReadOnlyList<DomainRecord> Validated { get; private set; } = [];

    /// <summary>Claims the handler lies under that are not validated yet, with what to publish for each.</summary>
    public IReadOnlyList<DomainChallenge> Pending { get; private set; } = [];

    [BindProperty(Name = "domain_name")]
    public string? DomainName { get; set; }

    public string? Error { get; private set; }
    public string? ClaimError { get; private set; }

    public string Path => WebhooksModel.Path + "/" + Webhook.Webhook.Id.ToString(CultureInfo.InvariantCulture) + "/validation";

    public async Task<IActionResult> OnGetAsync(long id)
    {
        await ReadAsync(id);
        return Page();
    }

    /// <summary>Claims a domain for the handler; the tab then shows what to publish.</summary>
    public async Task<IActionResult> OnPostClaimAsync(long id)
    {
        await ReadAsync(id);
        var user = DashboardClaims.Require(User);
        try
        {
            var (domainId, _) = await domains.ClaimAsync(user.AccountId, new JsonObject { ["domain"] = DomainName }, HttpContext.RequestAborted);
            DashboardLog.DomainChanged(logger, domainId, user.AccountId, "claimed", user.Id);
            return Redirect(Path);
        }
        catch (RequestRejectedException ex)
        {
            ClaimError = DashboardText.Sentence(ex.Message);
            return Page();
        }
    }

    /// <summary>Runs the check of one claim against this webhook's handler; the failure says what was looked up and found.</summary>
    public async Task<IActionResult> OnPostValidateAsync(long id, [FromForm(Name = "domain")] string? domainId, [FromForm(Name = "method")] string? method)
    {
        await ReadAsync(id);
        var user = DashboardClaims.Require(User);
        var domain = await domains.RequireAsync(user.AccountId, domainId ?? "", HttpContext.RequestAborted);
        try
        {
            var body = new JsonObject { ["method"] = method ?? "" };
            // The file is looked for next to this webhook's handler (and at its site root) when it lies under the domain.
            if (HostNames.IsUnder(Host, domain.Domain)) body["url"] = Webhook.Webhook.Handler;
            await domains.ValidateAsync(domain, body, HttpContext.RequestAborted);
            DashboardLog.DomainChanged(logger, domain.Id, user.AccountId, "validated", user.Id);
            return Redirect(Path + "?validated=" + domain.Id.ToString(CultureInfo.InvariantCulture));
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
        Webhook = await webhooks.GetAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), ct);
        CanEdit = user.Role.CanEdit();
        Host = Uri.TryCreate(Webhook.Webhook.Handler, UriKind.Absolute, out var uri) ? uri.IdnHost : "";
        var (items, _) = await domains.ListAsync(user.AccountId, 0, MaxDomains, ct);
        var under = items.Where(d => HostNames.IsUnder(Host, d.Domain)).ToList();
        Validated = under.Where(d => d.ValidatedAt is not null).ToList();
        Pending = under.Where(d => d.ValidatedAt is null)
            .Select(d => DomainChallenge.For(d, [Webhook.Webhook.Handler], CanEdit ? Path + "?handler=validate" : null)).ToList();
        DomainName ??= Webhooks.Outbound.LoopbackHosts.Normalize(Host) ?? Host;
    }
}
