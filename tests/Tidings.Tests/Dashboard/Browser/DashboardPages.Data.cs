using Microsoft.Playwright;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>How a person uses the database, profile and collection pages: by their labels, link and button names.</summary>
internal static partial class DashboardPages
{
    /// <summary>Opens the databases page from the navigation and a database from it by name.</summary>
    public static async Task OpenDatabaseAsync(this IPage page, string name)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Databases" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
    }

    /// <summary>Types a condition (<c>email==…</c>) into the first condition of the search form and searches.</summary>
    public static async Task SearchAsync(this IPage page, string condition)
    {
        await page.GetByLabel("Condition 1").FillAsync(condition);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
    }
}
