using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Rejections;
using Tidings.Users;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's users, for its admins: the list; a form that adds a user and shows their one-time password once, on
/// the answer to the post (never in a URL, never stored in plain text); and per user a role change, a password reset
/// (a new one-time password, shown once) and removal after a confirmation. An admin cannot change their own role or
/// remove themselves, and the account keeps at least one admin: the user service refuses, the page says why.
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

    /// <summary>A refused change of a listed user (role, reset, removal), in the service's words.</summary>
    public string? RowError { get; private set; }

    /// <summary>What the last change did, after its redirect (<c>?done=role|removed</c>).</summary>
    public string? Done { get; private set; }

    /// <summary>The user whose password was just reset, with their new one-time password (shown on this answer only).</summary>
    public User? Reset { get; private set; }

    /// <summary>The user the admin asked to remove (<c>?remove=id</c>): the page asks to confirm.</summary>
    public User? Removing { get; private set; }

    /// <summary>The signed-in admin, whose own row has no changes.</summary>
    public long Me => DashboardClaims.Require(User).Id;

    public async Task OnGetAsync(long? remove, string? done)
    {
        List = await users.ListAsync(DashboardClaims.Require(User).AccountId, HttpContext.RequestAborted);
        Removing = remove is { } id ? List.FirstOrDefault(u => u.Id == id) ?? throw new RequestRejectedException("No such user") : null;
        Done = done switch { "role" => "The role was changed.", "removed" => "The user was removed; their sign-ins have ended.", _ => null };
    }

    public Task<IActionResult> OnPostRoleAsync(long id, string? newRole) => ChangeAsync(async (account, me, ct) =>
    {
        if (!UserRoles.TryParse(newRole, out var role)) throw new RequestRejectedException("Choose a role");
        await users.ChangeRoleAsync(account, id, role, me, ct);
        return Redirect($"{DashboardPaths.Users}?done=role");
    });

    public Task<IActionResult> OnPostResetAsync(long id) => ChangeAsync(async (account, me, ct) =>
    {
        (Reset, OneTimePassword) = await users.ResetPasswordAsync(account, id, me, ct);
        List = await users.ListAsync(account, ct);
        return Page();
    });

    public Task<IActionResult> OnPostRemoveAsync(long id) => ChangeAsync(async (account, me, ct) =>
    {
        await users.RemoveAsync(account, id, me, ct);
        return Redirect($"{DashboardPaths.Users}?done=removed");
    });

    /// <summary>
    /// Runs a change of a listed user; a refusal is shown above the list. A user of another account is answered as a
    /// missing one (404), as everywhere in the dashboard.
    /// </summary>
    private async Task<IActionResult> ChangeAsync(Func<long, long, CancellationToken, Task<IActionResult>> change)
    {
        var me = DashboardClaims.Require(User);
        var ct = HttpContext.RequestAborted;
        List = await users.ListAsync(me.AccountId, ct);
        var id = long.TryParse(Request.Form["id"], out var parsed) ? parsed : 0;
        if (List.All(u => u.Id != id)) throw new RequestRejectedException("No such user");
        try
        {
            return await change(me.AccountId, me.Id, ct);
        }
        catch (RequestRejectedException ex)
        {
            RowError = ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".";
            return Page();
        }
    }

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
