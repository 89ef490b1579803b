using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Accounts;
using Tidings.Rejections;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's access tokens, for its admins: names and kinds (never a value: only hashes are stored), a form that
/// makes a token and shows its value once, on the answer to the post, and revocation after a confirmation. Token values
/// never go into a URL; ids do.
/// </summary>
[Authorize(Policy = DashboardAuthentication.AdminPolicy)]
internal sealed class TokensModel(AccountService accounts) : PageModel
{
    public const string Path = DashboardPaths.Tokens;

    public static readonly IReadOnlyList<(string Value, string Text)> Kinds = [("read-write", "Read-write"), ("read-only", "Read-only")];

    [BindProperty(Name = "name")]
    public string? Name { get; set; }

    [BindProperty(Name = "access")]
    public string? Access { get; set; }

    public IReadOnlyList<AccessToken> List { get; private set; } = [];

    /// <summary>The token the admin asked to revoke (<c>?revoke=id</c>): the page asks to confirm.</summary>
    public AccessToken? Revoking { get; private set; }

    /// <summary>The id of the token just revoked (<c>?revoked=id</c>, after the redirect).</summary>
    public long? Revoked { get; private set; }

    public CreatedToken? Created { get; private set; }

    public string? CreatedName { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(long? revoke, long? revoked)
    {
        List = await accounts.TokensAsync(Account, HttpContext.RequestAborted);
        Revoking = revoke is { } id ? List.FirstOrDefault(t => t.Id == id) ?? throw new RequestRejectedException("No such access token") : null;
        Revoked = revoked;
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var canWrite = Access switch { "read-write" => true, "read-only" => false, _ => (bool?)null };
        try
        {
            if (canWrite is null) throw new RequestRejectedException("Choose read-write or read-only");
            Created = await accounts.CreateTokenAsync(Account, Name, canWrite.Value, HttpContext.RequestAborted)
                ?? throw new RequestRejectedException("The account no longer exists");
            CreatedName = Name?.Trim();
            Name = null;
            Access = null;
        }
        catch (RequestRejectedException ex)
        {
            Error = ex.Message.EndsWith('.') ? ex.Message : ex.Message + ".";
        }

        List = await accounts.TokensAsync(Account, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        // Another account's token, or one revoked already, is a missing one (404).
        await accounts.RevokeTokenAsync(Account, id, HttpContext.RequestAborted);
        return Redirect($"{Path}?revoked={id}");
    }

    private long Account => DashboardClaims.Require(User).AccountId;
}
