namespace Tidings.Dashboard;

/// <summary>Where the dashboard's pages are; the pages declare the same routes in their <c>@page</c> directives.</summary>
internal static class DashboardPaths
{
    public const string Root = "/dashboard";
    public const string SignIn = "/dashboard/signin";
    public const string SignOut = "/dashboard/signout";
    public const string Password = "/dashboard/password";
    public const string Assets = "/dashboard/assets";
    public const string Status = "/dashboard/status";
    public const string Users = "/dashboard/users";
    public const string Webhooks = "/dashboard/webhooks";
    public const string Domains = "/dashboard/domains";
    public const string Databases = "/dashboard/databases";
    public const string Statistics = "/dashboard/statistics";
    public const string LogFiles = "/dashboard/logfiles";
    public const string Audit = "/dashboard/audit";
    public const string Tokens = "/dashboard/tokens";
    public const string Account = "/dashboard/account";

    /// <summary>Pages of a database's contents whose paths do not start with the database's (a profile, a collection).</summary>
    public static bool IsInsideDatabases(PathString path) =>
        path.StartsWithSegments("/dashboard/profiles", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/dashboard/collections", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/dashboard/subprofiles", StringComparison.OrdinalIgnoreCase);

    public static bool IsDashboard(PathString path) => path.StartsWithSegments(Root, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where to go after signing in: <paramref name="returnUrl"/> when it is a local dashboard path (never another site,
    /// never <c>//host</c> or <c>/\host</c>), else the home page.
    /// </summary>
    public static string LocalReturn(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/') return Root;
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\')) return Root;
        if (returnUrl.Any(c => char.IsControl(c) || c == '\\')) return Root;
        var path = returnUrl.Split('?', '#')[0];
        return IsDashboard(new PathString(path)) ? returnUrl : Root;
    }
}
