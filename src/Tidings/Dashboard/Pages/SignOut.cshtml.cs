using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tidings.Dashboard.Pages;

/// <summary>Signing out is a form post (with its antiforgery token), so another site cannot sign a user out with a link.</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(DashboardPaths.Root);

    public async Task<IActionResult> OnPostAsync()
    {
        await DashboardAuthentication.SignOutAsync(HttpContext);
        return LocalRedirect(DashboardPaths.SignIn);
    }
}
