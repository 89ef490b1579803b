using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Rejections;
using Tidings.Users;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's users, for its admins: the list, and a form that adds a user and shows their one-time password once,
/// on the answer to the post (never in a URL, never stored in plain text).
/// </summary>
[Authorize(Policy = DashboardAuthentication.AdminPolicy)]
internal sealed class UsersModel(UserService users) : PageModel
{
    public static readonly IReadOnlyList<(string Value, string Text)> Roles =
        [("read-only", "Read-only"), ("editor", "Editor"), ("admin", "Admin")];

    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    [BindProperty(Name = "role")]
    public string? Role { get; set; }

    public IReadOnlyList<User> List { get; private set; } = [];

    public User? Created { get; private set; }

    public string? OneTimePassword { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync() => List = await users.ListAsync(DashboardClaims.Require(User).AccountId, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var account = DashboardClaims.Require(User).AccountId;
        if (!UserRoles.TryParse(Role, out var role))
        {
            Error = "Choose a role.";
        }
        else
        {
            try
            {
                (Created, OneTimePassword) = await users.CreateAsync(account, Email ?? "", role, password: null, HttpContext.RequestAborted);
                Email = null;
                Role = null;
            }
            catch (RequestRejectedException ex)
            {
                Error = ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".";
            }
        }

        List = await users.ListAsync(account, HttpContext.RequestAborted);
        return Page();
    }
}
