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
/// The account's validated domains (<see cref="DomainService"/>, as REST <c>/v3/domains</c>): each with its status and
/// when it was validated, and a form that claims a new one and leads to what to publish for it.
/// </summary>
internal sealed class DomainsModel(DomainService domains, ILogger<DomainsModel> logger) : PageModel
{
    public const string Path = DashboardPaths.Domains;
    public const int PageSize = 100;

    public IReadOnlyList<DomainRecord> List { get; private set; } = [];
    public long Total { get; private set; }
    public bool CanEdit { get; private set; }

    [BindProperty(Name = "domain")]
    public string? Domain { get; set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync() => await ReadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = DashboardClaims.Require(User);
        try
        {
            var (id, _) = await domains.ClaimAsync(user.AccountId, new JsonObject { ["domain"] = Domain }, HttpContext.RequestAborted);
            DashboardLog.DomainChanged(logger, id, user.AccountId, "claimed", user.Id);
            return Redirect(Path + "/" + id.ToString(CultureInfo.InvariantCulture));
        }
        catch (RequestRejectedException ex)
        {
            Error = DashboardText.Sentence(ex.Message);
        }

        await ReadAsync();
        return Page();
    }

    private async Task ReadAsync()
    {
        var user = DashboardClaims.Require(User);
        CanEdit = user.Role.CanEdit();
        (List, Total) = await domains.ListAsync(user.AccountId, 0, PageSize, HttpContext.RequestAborted);
    }
}
