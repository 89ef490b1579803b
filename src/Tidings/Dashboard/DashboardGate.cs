using Tidings.Users;

namespace Tidings.Dashboard;

/// <summary>
/// What a signed-in user may reach before the page runs: a user who must set a new password reaches only the password
/// page (and sign-out) until they have; a read-only user changes nothing, so every form post but their own password
/// change and sign-out is refused with 403 whatever the page.
/// </summary>
internal static class DashboardGate
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var user = DashboardClaims.Read(context.User);
        var path = context.Request.Path;
        if (user is null || IsOpen(path))
        {
            await next();
            return;
        }

        if (user.MustChangePassword)
        {
            context.Response.Redirect(DashboardPaths.Password);
            return;
        }

        var changes = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        if (changes && !user.Role.CanEdit())
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next();
    }

    /// <summary>Pages any signed-in user reaches whatever their role or password state.</summary>
    private static bool IsOpen(PathString path) =>
        path.Equals(DashboardPaths.Password, StringComparison.OrdinalIgnoreCase)
        || path.Equals(DashboardPaths.SignOut, StringComparison.OrdinalIgnoreCase)
        || path.Equals(DashboardPaths.SignIn, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(DashboardPaths.Status, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(DashboardPaths.Assets, StringComparison.OrdinalIgnoreCase);
}
