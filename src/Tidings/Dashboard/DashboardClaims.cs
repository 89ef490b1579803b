using System.Globalization;
using System.Security.Claims;
using Tidings.Users;

namespace Tidings.Dashboard;

/// <summary>
/// What the sign-in cookie says about its user: id, account, role, the security stamp it was made with (a password
/// change makes a new one, which ends the other sign-ins) and whether a new password must be set first.
/// </summary>
internal static class DashboardClaims
{
    public const string Scheme = "Dashboard";
    public const string UserId = ClaimTypes.NameIdentifier;
    public const string Email = ClaimTypes.Name;
    public const string Role = ClaimTypes.Role;
    public const string AccountId = "tidings:account";
    public const string Stamp = "tidings:stamp";
    public const string MustChangePassword = "tidings:must-change-password";

    public static ClaimsPrincipal Principal(User user)
    {
        var claims = new List<Claim>
        {
            new(UserId, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(AccountId, user.AccountId.ToString(CultureInfo.InvariantCulture)),
            new(Email, user.Email),
            new(Role, user.Role.Name()),
            new(Stamp, user.SecurityStamp),
        };
        if (user.MustChangePassword) claims.Add(new Claim(MustChangePassword, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, Email, Role));
    }

    /// <summary>The signed-in user as the cookie has them, or null when the principal is not a dashboard sign-in.</summary>
    public static SignedInUser? Read(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, AuthenticationType: Scheme }) return null;
        if (!long.TryParse(principal.FindFirstValue(UserId), CultureInfo.InvariantCulture, out var id)) return null;
        if (!long.TryParse(principal.FindFirstValue(AccountId), CultureInfo.InvariantCulture, out var account)) return null;
        if (!UserRoles.TryParse(principal.FindFirstValue(Role), out var role)) return null;
        return new SignedInUser(id, account, principal.FindFirstValue(Email) ?? "", role,
            principal.FindFirstValue(Stamp) ?? "", principal.HasClaim(c => c.Type == MustChangePassword));
    }

    /// <summary>The signed-in user of a page that requires a sign-in (its authorization policy has made sure of one).</summary>
    public static SignedInUser Require(ClaimsPrincipal principal) =>
        Read(principal) ?? throw new InvalidOperationException("A dashboard page that requires a sign-in ran without one");

    /// <summary>Whether the cookie still tells the truth about <paramref name="user"/> (same account, role and flag).</summary>
    public static bool Matches(SignedInUser signedIn, User user) =>
        signedIn.AccountId == user.AccountId && signedIn.Role == user.Role && signedIn.Email == user.Email
        && signedIn.MustChangePassword == user.MustChangePassword;
}

/// <summary>The user a dashboard request is made by; every page scopes what it shows to <see cref="AccountId"/>.</summary>
internal sealed record SignedInUser(long Id, long AccountId, string Email, UserRole Role, string Stamp, bool MustChangePassword);
