using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Accounts;
using Tidings.Rejections;
using Tidings.Users;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account itself, for its admins: what it is (name, id, created, its users and tokens) and the one thing that can
/// be changed safely, its name (shown in the dashboard and answered by <c>GET identity</c>; nothing refers to it).
/// </summary>
[Authorize(Policy = DashboardAuthentication.AdminPolicy)]
internal sealed class AccountModel(AccountService accounts, UserService users) : PageModel
{
    [BindProperty(Name = "name")]
    public string? Name { get; set; }

    public Account Current { get; private set; } = null!;

    public int Users { get; private set; }

    public int Tokens { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(bool saved = false)
    {
        await LoadAsync();
        Name = Current.Name;
        Saved = saved;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await accounts.RenameAsync(DashboardClaims.Require(User).AccountId, Name, HttpContext.RequestAborted);
            return Redirect(DashboardPaths.Account + "?saved=true");
        }
        catch (RequestRejectedException ex)
        {
            Error = ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".";
            await LoadAsync();
            return Page();
        }
    }

    private async Task LoadAsync()
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        Current = await accounts.IdentityAsync(account, ct);
        Users = (await users.ListAsync(account, ct)).Count;
        Tokens = (await accounts.TokensAsync(account, ct)).Count;
    }
}
