using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Users;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The sign-in form. A refusal never says whether the address exists; a locked address says until when. A user with a
/// one-time password goes on to the password page.
/// </summary>
internal sealed class SignInModel(UserService users) : PageModel
{
    public const string Refused = "The e-mail address or password is not right.";

    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        switch (await users.SignInAsync(Email, Password, HttpContext.RequestAborted))
        {
            case SignInOutcome.SignedIn signedIn:
                await DashboardAuthentication.SignInAsync(HttpContext, signedIn.User);
                return LocalRedirect(signedIn.User.MustChangePassword ? DashboardPaths.Password : DashboardPaths.LocalReturn(ReturnUrl));
            case SignInOutcome.LockedOut locked:
                Error = $"This e-mail address is locked after too many failed sign-ins, until {DashboardFormat.Time(locked.Until)}.";
                break;
            default:
                Error = Refused;
                break;
        }

        return Page();
    }
}
