using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>How an admin uses the tokens and users pages, by their labels and button names.</summary>
internal static partial class DashboardPages
{
    /// <summary>Makes a token on the tokens page and returns its value as the page shows it, once.</summary>
    public static async Task<string> MakeTokenAsync(this IPage page, string name, bool readOnly)
    {
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel(readOnly ? "Read-only" : "Read-write", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Region, new() { Name = $"Access token {name} created" });
        await Expect(created).ToContainTextAsync("shown only this once");
        return (await created.Locator(".secret code").InnerTextAsync()).Trim();
    }

    /// <summary>Revokes a token from the tokens page: its link, then the confirmation's button.</summary>
    public static async Task RevokeTokenAsync(this IPage page, string name)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = $"Revoke… {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
    }

    /// <summary>Gives a listed user another role on the users page.</summary>
    public static async Task ChangeRoleAsync(this IPage page, string email, string role)
    {
        await page.GetByLabel($"Access for {email}").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Change role of {email}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The role was changed.");
    }
}
