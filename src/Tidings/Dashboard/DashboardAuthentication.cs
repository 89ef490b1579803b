using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Tidings.Users;

namespace Tidings.Dashboard;

/// <summary>
/// The dashboard's cookie sign-in, a scheme of its own that only <c>/dashboard</c> uses (the REST API keeps its
/// tokens): HttpOnly, SameSite=Lax, Secure when the request is HTTPS, ending after <see cref="DashboardOptions.IdleTimeout"/>
/// without a request. Every request checks the cookie's security stamp against the user as stored, so a password change
/// (or a removed user) ends the sign-ins made before it on every node.
/// </summary>
internal static partial class DashboardAuthentication
{
    public const string CookieName = ".Tidings.Dashboard";
    public const string AdminPolicy = "DashboardAdmin";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(DashboardClaims.Scheme).AddCookie(DashboardClaims.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(DashboardClaims.Scheme).Configure<IOptions<DashboardOptions>>((o, dashboard) =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = DashboardPaths.Root;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = dashboard.Value.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = DashboardPaths.SignIn;
            o.LogoutPath = DashboardPaths.SignOut;
            o.ReturnUrlParameter = "ReturnUrl";
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToAccessDenied = context =>
            {
                // A page of its own with the status, not a redirect (the status code pages render it).
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(DashboardClaims.Scheme).RequireAuthenticatedUser()
                .RequireRole(UserRole.Admin.Name()));
    }

    /// <summary>Signs the user in with a fresh cookie (after the password, or after changing it).</summary>
    public static Task SignInAsync(HttpContext context, User user) =>
        context.SignInAsync(DashboardClaims.Scheme, DashboardClaims.Principal(user), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(DashboardClaims.Scheme);

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var signedIn = context.Principal is null ? null : DashboardClaims.Read(context.Principal);
        var user = signedIn is null ? null
            : await context.HttpContext.RequestServices.GetRequiredService<UserService>().FindAsync(signedIn.Id, context.HttpContext.RequestAborted);
        if (signedIn is null || user is null || user.SecurityStamp != signedIn.Stamp)
        {
            if (signedIn is not null)
            {
                var logger = Logger(context.HttpContext);
                LogSignInEnded(logger, signedIn.Id);
            }

            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardClaims.Scheme);
            return;
        }

        if (!DashboardClaims.Matches(signedIn, user))
        {
            // The role (or the account) changed since the sign-in: the cookie follows the store.
            context.ReplacePrincipal(DashboardClaims.Principal(user));
            context.ShouldRenew = true;
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tidings.Dashboard.DashboardAuthentication");

    [LoggerMessage(EventId = 16001, Level = LogLevel.Information,
        Message = "A dashboard sign-in of user {UserId} ended: the user's password changed or the user is gone")]
    private static partial void LogSignInEnded(ILogger logger, long userId);
}
