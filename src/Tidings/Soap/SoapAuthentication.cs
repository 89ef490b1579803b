using System.Globalization;
using Microsoft.Extensions.Options;
using Tidings.Accounts;
using Tidings.Rejections;
using Tidings.Rest;
using Tidings.Users;

namespace Tidings.Soap;

/// <summary>
/// Who is calling over SOAP, the three ways copernica-apis.md §2.2 lists: an access token (the <c>access_token</c>
/// member, else an <c>Authorization: Bearer</c> header), looked up as REST does; the legacy <c>login</c> method, which
/// starts a session kept in the database and sends it as the cookie <c>soap_session</c>; or a <c>login</c> structure in
/// the call itself. Users sign in against the dashboard's user store and share its lockout.
/// </summary>
internal static class SoapAuthentication
{
    /// <summary>The session cookie; Copernica's node client keeps the cookies whose names start with <c>soap_</c>.</summary>
    public const string SessionCookie = "soap_session";

    /// <summary>Copernica's own Fault for a call without a valid session; its 1.6 client logs in again on it.</summary>
    public const string NotLoggedOn = "Not logged on";

    public const string LoginFailed = "Login failed: unknown user, wrong password or wrong account";

    /// <summary>The <c>login</c> method: checks the user and starts a session.</summary>
    public static readonly SoapMethod Login = new("login", false,
        [new("username", "xsd:string"), new("password", "xsd:string"), new("account", "xsd:string")], _ => throw new InvalidOperationException("login is answered by SoapAuthentication"));

    /// <summary>Runs <c>login</c>: the user's password and account are checked, a session starts, its cookie is set.</summary>
    public static async Task<System.Xml.Linq.XElement> LogInAsync(HttpContext context, SoapParameters parameters)
    {
        var user = await SignInAsync(context, parameters);
        var limits = Limits(context);
        var secret = await context.RequestServices.GetRequiredService<UserSessions>().StartAsync(user, limits, context.RequestAborted);
        context.Response.Cookies.Append(SessionCookie, secret, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = limits.MaxAge,
        });
        return SoapResults.True();
    }

    /// <summary>The caller of any other method; a Fault when there is none.</summary>
    public static async Task<Caller> AuthenticateAsync(HttpContext context, SoapParameters parameters)
    {
        var caller = await FindCallerAsync(context, parameters);
        // Refused before the call is counted or does any work (REST does the same).
        if (context.RequestServices.GetService<IApiCallLimiter>() is { } limiter) await limiter.AdmitAsync(caller, "soap", context.RequestAborted);
        // As REST's authentication does: the audit log attributes the call's changes to this caller.
        context.Items[typeof(Caller)] = caller;
        context.RequestServices.GetService<IApiCallCounter>()?.Count(caller.AccountId);
        return caller;
    }

    private static async Task<Caller> FindCallerAsync(HttpContext context, SoapParameters parameters)
    {
        var token = parameters.Text("access_token")?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header[7..].Trim();
        }

        if (!string.IsNullOrEmpty(token))
        {
            return await context.RequestServices.GetRequiredService<ICallerLookup>().AuthenticateAsync(token, context.RequestAborted)
                ?? throw new SoapFaultException(CopernicaErrors.InvalidAccessToken);
        }

        if (parameters.Structure("login") is { } login) return Of(await SignInAsync(context, login));

        if (context.Request.Cookies[SessionCookie] is { Length: > 0 } secret
            && await context.RequestServices.GetRequiredService<UserSessions>().ResumeAsync(secret, Limits(context), context.RequestAborted) is { } user)
        {
            return Of(user);
        }

        throw new SoapFaultException(NotLoggedOn);
    }

    /// <summary>A signed-in user as a caller: read-only users may read, editors and admins may also write.</summary>
    private static Caller Of(User user) => new(user.AccountId, 0, user.Role.CanEdit(), UserId: user.Id, UserEmail: user.Email);

    /// <summary>
    /// Checks <c>username</c> (the user's e-mail address), <c>password</c> and <c>account</c> (the user's account, by
    /// name or id). A wrong password counts towards the lockout the dashboard shares; a wrong account is refused the same
    /// way, so the answer never tells which part was wrong.
    /// </summary>
    private static async Task<User> SignInAsync(HttpContext context, SoapParameters login)
    {
        var account = login.Required("account").Trim();
        var outcome = await context.RequestServices.GetRequiredService<UserService>()
            .SignInAsync(login.Required("username"), login.Required("password"), context.RequestAborted);
        switch (outcome)
        {
            case SignInOutcome.LockedOut locked:
                var until = DateTimeOffset.FromUnixTimeMilliseconds(locked.Until).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
                throw new SoapFaultException($"Too many failed logins: this user is locked out until {until}");
            case SignInOutcome.SignedIn { User: var user }:
                if (!await IsUsersAccountAsync(context, user, account)) throw new SoapFaultException(LoginFailed);
                if (user.MustChangePassword) throw new SoapFaultException("This user must set a new password in the dashboard before logging in");
                return user;
            default:
                throw new SoapFaultException(LoginFailed);
        }
    }

    private static async Task<bool> IsUsersAccountAsync(HttpContext context, User user, string account)
    {
        if (long.TryParse(account, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id == user.AccountId) return true;
        var found = await context.RequestServices.GetRequiredService<AccountService>().IdentityAsync(user.AccountId, context.RequestAborted);
        return string.Equals(found.Name.Trim(), account, StringComparison.OrdinalIgnoreCase);
    }

    private static SessionLimits Limits(HttpContext context)
    {
        var o = context.RequestServices.GetRequiredService<IOptions<SoapOptions>>().Value;
        return new SessionLimits(o.SessionIdleTimeout, o.SessionMaxAge);
    }
}
