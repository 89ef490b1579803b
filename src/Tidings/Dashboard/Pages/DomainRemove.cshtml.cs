using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Domains;

namespace Tidings.Dashboard.Pages;

/// <summary>Asks before a domain is removed (GET), and removes it through <see cref="DomainService.DeleteAsync"/> (POST).</summary>
internal sealed class DomainRemoveModel(DomainService domains, ILogger<DomainRemoveModel> logger) : PageModel
{
    public DomainRecord Domain { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        Domain = await domains.RequireAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        return user.Role.CanEdit() ? Page() : StatusCode(StatusCodes.Status403Forbidden);
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        var user = DashboardClaims.Require(User);
        var domain = await domains.RequireAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        await domains.DeleteAsync(user.AccountId, id.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);
        DashboardLog.DomainChanged(logger, domain.Id, user.AccountId, "removed", user.Id);
        return Redirect(DomainsModel.Path + "?removed=" + Uri.EscapeDataString(domain.Domain));
    }
}
