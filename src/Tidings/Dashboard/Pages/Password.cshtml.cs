using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tidings.Rejections;
using Tidings.Users;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The user's own password change: forced after a one-time password (nothing else is reachable until then, see
/// <see cref="DashboardGate"/>) and voluntary otherwise. The new security stamp ends every other sign-in; this one
/// gets a fresh cookie with it.
/// </summary>
internal sealed class PasswordModel(UserService users, IOptions<UsersOptions> options) : PageModel
{
    [BindProperty(Name = "current")]
    public string? Current { get; set; }

    [BindProperty(Name = "new")]
    public string? New { get; set; }

    [BindProperty(Name = "repeat")]
    public string? Repeat { get; set; }

    public string? Error { get; private set; }

    public bool Forced => DashboardClaims.Require(User).MustChangePassword;

    public bool Changed { get; private set; }

    public int MinLength => options.Value.MinPasswordLength;

    public void OnGet(bool changed) => Changed = changed;

    public async Task<IActionResult> OnPostAsync()
    {
        var me = DashboardClaims.Require(User);
        if (New != Repeat)
        {
            Error = "The new password and its repetition differ.";
            return Page();
        }

        try
        {
            var user = await users.ChangePasswordAsync(me.Id, Current, New, HttpContext.RequestAborted);
            await DashboardAuthentication.SignInAsync(HttpContext, user);
            return me.MustChangePassword ? LocalRedirect(DashboardPaths.Root) : LocalRedirect(DashboardPaths.Password + "?changed=true");
        }
        catch (RequestRejectedException ex)
        {
            Error = ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".";
            return Page();
        }
    }
}
