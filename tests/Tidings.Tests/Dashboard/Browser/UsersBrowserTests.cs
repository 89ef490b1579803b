using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The users page in chromium: an admin adds a user, nobody else gets in or changes anything.</summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class UsersBrowserTests(SharedChromium chromium, DashboardApp app)
{
    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task An_admin_adds_a_user_who_sees_the_one_time_password_once_and_can_sign_in_with_it()
    {
        var admin = await app.NewUserAsync(UserRole.Admin);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(admin);

        (await page.GotoAsync("/dashboard/users"))!.Status.ShouldBe(200);
        await page.CheckPageAsync("users");
        var email = $"added-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        await AddUserAsync(page, email);

        var shown = await OneTimePasswordAsync(page);
        await page.CheckPageAsync("users-added");
        (await app.UserEmailsAsync()).ShouldContain(email);
        await page.ReloadAsync();
        (await page.ContentAsync()).ShouldNotContain(shown);

        // The new user signs in with it and is sent to choose a password of their own.
        await using var second = await chromium.NewContextAsync(app.BaseAddress);
        var newcomer = await second.NewPageAsync();
        await newcomer.SubmitSignInAsync(email, shown);
        await Expect(newcomer).ToHaveURLAsync(DashboardPages.PasswordUrl());
    }

    [Theory(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("read-only")]
    [InlineData("editor")]
    public async Task Only_an_admin_reaches_the_users_page_or_adds_a_user(string role)
    {
        UserRoles.TryParse(role, out var parsed).ShouldBeTrue();
        var user = await app.NewUserAsync(parsed);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(user);
        await page.ShouldBeAccessibleAsync();

        (await page.GotoAsync("/dashboard/users"))!.Status.ShouldBe(403);
        await page.CheckPageAsync("forbidden");

        // Nor does a post of the add-user form get through, even with a valid antiforgery token of this user's own.
        await page.GotoAsync("/dashboard");
        var email = $"sneaked-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var answer = await context.APIRequest.PostAsync("/dashboard/users", new()
        {
            Form = context.APIRequest.CreateFormData()
                .Set("__RequestVerificationToken", await page.AntiforgeryTokenAsync())
                .Set("email", email).Set("role", "admin"),
            MaxRedirects = 0,
        });
        answer.Status.ShouldBe(403);
        (await app.UserEmailsAsync()).ShouldNotContain(email);
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_form_posted_without_its_antiforgery_token_changes_nothing()
    {
        var admin = await app.NewUserAsync(UserRole.Admin);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(admin);
        await page.GotoAsync("/dashboard/users");
        var email = $"forged-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        await page.GetByLabel("E-mail address").FillAsync(email);

        await page.RemoveAntiforgeryTokensAsync();
        var answer = await page.PostByClickAsync(page.GetByRole(AriaRole.Button, new() { Name = AddUserButton }));

        answer.Status.ShouldBe(400);
        (await app.UserEmailsAsync()).ShouldNotContain(email);
    }

    private const string AddUserButton = "Add user";

    private static async Task AddUserAsync(IPage page, string email)
    {
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Role").SelectOptionAsync("editor");
        await page.GetByRole(AriaRole.Button, new() { Name = AddUserButton }).ClickAsync();
    }

    /// <summary>The one-time password as the page shows it after adding a user, in the section that says so.</summary>
    private static async Task<string> OneTimePasswordAsync(IPage page)
    {
        var added = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("added") });
        await Expect(added).ToContainTextAsync("one-time password");
        var password = (await added.Locator("code").InnerTextAsync()).Trim();
        password.Length.ShouldBeGreaterThanOrEqualTo(12);
        return password;
    }
}
