using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One subprofile, read-only: every field of its collection, with links to its profile and collection, read from
/// <see cref="SubprofileService"/>. Another account's subprofile, or an unknown id, is not found.
/// </summary>
internal sealed class SubprofileDetailModel(SubprofileService subprofiles) : PageModel
{
    public SubprofileView Subprofile { get; private set; } = null!;

    public async Task OnGetAsync(long id) =>
        Subprofile = await subprofiles.RequireAsync(DashboardClaims.Require(User).AccountId, id.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted);

    public static string PathOf(long id) => "/dashboard/subprofiles/" + ValueRowsView.Id(id);
}
