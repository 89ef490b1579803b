using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// How a person uses the dashboard's shared pages, through their labels and button names (so the locators prove the
/// labels are there).
/// </summary>
internal static partial class DashboardPages
{
    public const string RefusedText = "The e-mail address or password is not right.";

    /// <summary>Fills in the sign-in form and sends it; where it leads is up to the caller.</summary>
    public static async Task SubmitSignInAsync(this IPage page, string email, string password)
    {
        if (!page.Url.Contains("/dashboard/signin", StringComparison.Ordinal)) await page.GotoAsync("/dashboard/signin");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs a user with a password of their own in, and waits for the home page.</summary>
    public static async Task SignInAsync(this IPage page, DashboardUser user)
    {
        await page.SubmitSignInAsync(user.Email, user.Password);
        await Expect(page).ToHaveURLAsync(HomeUrl());
    }

    /// <summary>Fills in and sends the password change form.</summary>
    public static async Task ChangePasswordAsync(this IPage page, string current, string next)
    {
        await page.GetByLabel("Current password").FillAsync(current);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(next);
        await page.GetByLabel("Repeat new password").FillAsync(next);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
    }

    public static async Task SignOutAsync(this IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(SignInUrl());
    }

    /// <summary>What the sign-in page says to a locked-out address (it goes on to say until when).</summary>
    [GeneratedRegex("locked after too many failed sign-ins")]
    public static partial Regex LockedText();

    /// <summary>The home page, <c>/dashboard</c> (with or without a trailing slash).</summary>
    [GeneratedRegex(@"/dashboard/?$")]
    public static partial Regex HomeUrl();

    [GeneratedRegex(@"/dashboard/signin")]
    public static partial Regex SignInUrl();

    [GeneratedRegex(@"/dashboard/password")]
    public static partial Regex PasswordUrl();

    /// <summary>Sends a form with a click, returning the answer to its POST (whatever page it leads to).</summary>
    public static Task<IResponse> PostByClickAsync(this IPage page, ILocator button) =>
        page.RunAndWaitForResponseAsync(() => button.ClickAsync(), r => r.Request.Method == "POST");

    /// <summary>Removes the antiforgery token from every form on the page, as a forged cross-site form would lack it.</summary>
    public static Task RemoveAntiforgeryTokensAsync(this IPage page) =>
        page.EvaluateAsync("() => document.querySelectorAll('input[name=__RequestVerificationToken]').forEach(e => e.remove())");

    /// <summary>The antiforgery token a form on the page carries (for posts made without the form).</summary>
    public static Task<string> AntiforgeryTokenAsync(this IPage page) =>
        page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
}
