using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tidings.Accounts;
using Tidings.Tests.Infrastructure;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// The tokens, users, account and audit log pages in chromium: an admin makes and revokes a token and changes a role,
/// the audit log shows it, and a read-only user changes nothing.
/// </summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class AccountBrowserTests(SharedChromium chromium, DashboardApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task An_admin_makes_a_token_sees_its_value_once_and_revokes_it()
    {
        var admin = await app.NewUserAsync(UserRole.Admin);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(admin);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Tokens" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        await page.CheckPageAsync("tokens");

        var name = "Reporting " + Guid.NewGuid().ToString("N")[..6];
        var value = await page.MakeTokenAsync(name, readOnly: true);
        value.Length.ShouldBe(48);
        page.Url.ShouldNotContain(value);
        await page.CheckPageAsync("token-created");
        var api = new ApiClient(app.CreateClient(), value, app.AccountId);
        (await api.GetJsonAsync("/v3/identity")).Str("id").ShouldBe(app.AccountId.S());

        await page.GotoAsync("/dashboard/tokens");
        (await page.ContentAsync()).ShouldNotContain(value);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("read-only");

        await page.RevokeTokenAsync(name);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToHaveCountAsync(0);
        await (await api.GetAsync("/v3/identity")).ShouldBeCopernicaErrorAsync("Invalid access token");

        (await page.GotoAsync("/dashboard/audit?type=access-token"))!.Status.ShouldBe(200);
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = admin.Email });
        await Expect(rows.Filter(new() { HasText = "revoked" }).Filter(new() { HasText = name })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "created" }).Filter(new() { HasText = name })).ToHaveCountAsync(1);
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task An_admin_changes_a_users_role_and_the_audit_log_lists_it()
    {
        var admin = await app.NewUserAsync(UserRole.Admin);
        var editor = await app.NewUserAsync(UserRole.Editor);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(admin);

        await page.GotoAsync("/dashboard/users");
        await page.ChangeRoleAsync(editor.Email, "read-only");
        await page.CheckPageAsync("users-manage");
        (await app.Services.GetRequiredService<UserService>().FindAsync(editor.Id, Ct))!.Role.ShouldBe(UserRole.ReadOnly);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "role-changed" }).Filter(new() { HasText = editor.Email });
        await Expect(row).ToContainTextAsync($"{admin.Email} (user {admin.Id})");
        await Expect(row).ToContainTextAsync("editor to read-only");
        await page.CheckPageAsync("audit");

        await page.GetByLabel("Show").SelectOptionAsync("Users");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("type=user"));
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "webhook " })).ToHaveCountAsync(0);

        (await page.GotoAsync("/dashboard/account"))!.Status.ShouldBe(200);
        await Expect(page.GetByLabel("Account name")).ToHaveValueAsync("Example shop");
        await page.CheckPageAsync("account");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_read_only_user_reads_the_audit_log_but_reaches_no_page_that_changes_tokens_users_or_the_account()
    {
        var reader = await app.NewUserAsync(UserRole.ReadOnly);
        var other = await app.NewUserAsync(UserRole.Editor);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(reader);

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeVisibleAsync();
        foreach (var hidden in new[] { "Tokens", "Users", "Account" })
            await Expect(nav.GetByRole(AriaRole.Link, new() { Name = hidden, Exact = true })).ToHaveCountAsync(0);
        foreach (var path in new[] { "/dashboard/tokens", "/dashboard/users", "/dashboard/account" })
            (await page.GotoAsync(path))!.Status.ShouldBe(403, path);

        (await page.GotoAsync("/dashboard/audit"))!.Status.ShouldBe(200);
        await Expect(page.Locator("main form[method=post]")).ToHaveCountAsync(0);
        await page.ShouldBeAccessibleAsync();

        var antiforgery = await page.AntiforgeryTokenAsync();
        var posts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/dashboard/tokens?handler=Create", new() { ["name"] = "sneaked", ["access"] = "read-write" }),
            ("/dashboard/users?handler=Role", new() { ["id"] = other.Id.S(), ["newRole"] = "admin" }),
            ("/dashboard/account", new() { ["name"] = "Sneaked" }),
        };
        foreach (var (path, fields) in posts)
        {
            var form = context.APIRequest.CreateFormData().Set("__RequestVerificationToken", antiforgery);
            foreach (var (key, value) in fields) form.Set(key, value);
            (await context.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 })).Status.ShouldBe(403, path);
        }

        (await app.Services.GetRequiredService<AccountService>().TokensAsync(app.AccountId, Ct)).ShouldAllBe(t => t.Name != "sneaked");
        (await app.Services.GetRequiredService<UserService>().FindAsync(other.Id, Ct))!.Role.ShouldBe(UserRole.Editor);
        (await app.Services.GetRequiredService<AccountService>().IdentityAsync(app.AccountId, Ct)).Name.ShouldBe("Example shop");
    }
}
