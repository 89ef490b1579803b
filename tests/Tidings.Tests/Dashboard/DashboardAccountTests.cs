using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The tokens, users, account and audit log pages: admins change tokens, users and the account name through the same
/// services as REST, each change lands in the audit log with the admin as its actor, and nobody else changes anything.
/// </summary>
public sealed class DashboardAccountTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AccountService Accounts => app.Services.GetRequiredService<AccountService>();

    private UserService Users => app.Services.GetRequiredService<UserService>();

    /// <summary>Posts to a page's handler with the antiforgery token that <paramref name="from"/> carries, as its form would.</summary>
    private static async Task<HttpResponseMessage> PostAsync(DashboardBrowser browser, string from, string action, Dictionary<string, string> fields)
    {
        var page = await browser.PageAsync(from);
        fields["__RequestVerificationToken"] = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await browser.PostAsync(action, fields);
    }

    private static async Task<IHtmlDocument> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, body);
        return DashboardBrowser.Parse(body);
    }

    private static List<List<string>> AuditRows(IHtmlDocument page) =>
        page.QuerySelectorAll("table.audit tbody tr").Select(r => r.QuerySelectorAll("td").Skip(1).Select(c => c.TextContent.Trim()).ToList()).ToList();

    [Fact]
    public async Task An_admin_makes_a_token_whose_value_is_shown_once_and_works_then_revokes_it_after_confirming()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Tokens");

        var made = await PostAsync(browser, "/dashboard/tokens", "/dashboard/tokens?handler=Create", new() { ["name"] = "Reporting tool", ["access"] = "read-only" });
        var answer = await OkAsync(made);
        answer.QuerySelector("#created-title")!.TextContent.ShouldBe("Access token Reporting tool created");
        var value = answer.QuerySelector("#created-token")!.TextContent.Trim();
        value.Length.ShouldBe(48);
        answer.QuerySelector("section.card-highlight")!.TextContent.ShouldContain("shown only this once");

        // It works against REST (read-only), and is never shown again nor put in a URL.
        var api = new ApiClient(app.CreateClient(), value, admin.AccountId);
        (await api.GetJsonAsync("/v3/identity")).Str("id").ShouldBe(admin.AccountId.S());
        await (await api.PostJsonAsync("/v3/databases", new { name = "x" })).ShouldBeCopernicaErrorAsync();
        var list = await browser.PageAsync("/dashboard/tokens");
        list.DocumentElement.OuterHtml.ShouldNotContain(value);
        var row = list.QuerySelectorAll("table.tokens tbody tr").Single(r => r.QuerySelector(".token-name")!.TextContent == "Reporting tool");
        row.QuerySelector(".access")!.TextContent.ShouldBe("read-only");
        list.QuerySelectorAll("a").ShouldAllBe(a => !(a.GetAttribute("href") ?? "").Contains(value));
        var tokenId = (await Accounts.TokensAsync(admin.AccountId, Ct)).Single(t => t.Name == "Reporting tool").Id;

        var confirm = await browser.PageAsync($"/dashboard/tokens?revoke={tokenId}");
        confirm.QuerySelector("#revoke-title")!.TextContent.ShouldBe("Revoke access token Reporting tool?");
        var revoked = await PostAsync(browser, $"/dashboard/tokens?revoke={tokenId}", "/dashboard/tokens?handler=Revoke", new() { ["id"] = tokenId.S() });
        revoked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        revoked.Headers.Location!.ToString().ShouldBe($"/dashboard/tokens?revoked={tokenId}");
        (await browser.PageAsync(revoked.Headers.Location.ToString())).QuerySelector(".alert-success")!.TextContent.ShouldContain($"Access token {tokenId} revoked");
        await (await api.GetAsync("/v3/identity")).ShouldBeCopernicaErrorAsync("Invalid access token");

        var audit = AuditRows(await browser.PageAsync("/dashboard/audit?type=access-token"));
        audit.Select(r => r[1] + " " + r[2]).ShouldBe([$"revoked access-token {tokenId}", $"created access-token {tokenId}"]);
        audit.ShouldAllBe(r => r[0] == $"{admin.Email} (user {admin.Id}) signed in");
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE detail LIKE @v OR actor LIKE @v", new { v = $"%{value}%" })).ShouldBe(0);
    }

    [Fact]
    public async Task A_token_without_a_name_or_access_is_refused_with_the_reason_and_another_accounts_token_is_not_found()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Bad tokens");
        var before = (await Accounts.TokensAsync(admin.AccountId, Ct)).Count;

        var page = await OkAsync(await PostAsync(browser, "/dashboard/tokens", "/dashboard/tokens?handler=Create", new() { ["name"] = "  ", ["access"] = "read-write" }));
        page.QuerySelector("#token-error")!.TextContent.ShouldBe("Give the token a name.");
        page = await OkAsync(await PostAsync(browser, "/dashboard/tokens", "/dashboard/tokens?handler=Create", new() { ["name"] = "Kept", ["access"] = "everything" }));
        page.QuerySelector("#token-error")!.TextContent.ShouldBe("Choose read-write or read-only.");
        page.QuerySelector("#token-name").ShouldBeAssignableTo<IHtmlInputElement>()!.Value.ShouldBe("Kept", "the input is not lost");
        (await Accounts.TokensAsync(admin.AccountId, Ct)).Count.ShouldBe(before);

        var stranger = await app.NewAccountAsync("Stranger");
        var theirs = (await Accounts.TokensAsync(stranger.AccountId, Ct)).Single();
        (await browser.GetAsync($"/dashboard/tokens?revoke={theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(browser, "/dashboard/tokens", "/dashboard/tokens?handler=Revoke", new() { ["id"] = theirs.Id.S() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetJsonAsync("/v3/identity")).Str("id").ShouldBe(stranger.AccountId.S(), "their token still works");
    }

    [Theory]
    [InlineData("editor")]
    [InlineData("read-only")]
    public async Task Only_admins_reach_the_tokens_and_account_pages_or_change_users(string roleName)
    {
        UserRoles.TryParse(roleName, out var role).ShouldBeTrue();
        var (admin, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin, "Roles");
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, role, "Other");
        var (sameAccount, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, accountId: user.AccountId);
        var adminBrowser = DashboardBrowser.Open(app);
        (await adminBrowser.SignInAsync(admin.Email, "correct horse battery")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var token = (await adminBrowser.PageAsync("/dashboard/tokens")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var path in new[] { "/dashboard/tokens", "/dashboard/account", "/dashboard/users" })
            (await browser.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        var posts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/dashboard/tokens?handler=Create", new() { ["name"] = "sneaked", ["access"] = "read-write" }),
            ("/dashboard/account", new() { ["name"] = "Sneaked" }),
            ("/dashboard/users?handler=Role", new() { ["id"] = sameAccount.Id.S(), ["newRole"] = "admin" }),
            ("/dashboard/users?handler=Remove", new() { ["id"] = sameAccount.Id.S() }),
        };
        foreach (var (path, fields) in posts)
        {
            fields["__RequestVerificationToken"] = token;
            (await browser.PostAsync(path, fields)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        (await Accounts.TokensAsync(user.AccountId, Ct)).ShouldAllBe(t => t.Name != "sneaked");
        (await Accounts.IdentityAsync(user.AccountId, Ct)).Name.ShouldBe("Other");
        (await Users.FindAsync(sameAccount.Id, Ct))!.Role.ShouldBe(UserRole.Editor);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE account_id = @a AND action <> 'created'", new { a = user.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task An_admin_changes_a_users_role_but_not_their_own_and_the_change_is_in_the_audit_log()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Team");
        var (editor, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, accountId: admin.AccountId);

        var list = await browser.PageAsync("/dashboard/users");
        var rows = list.QuerySelectorAll("table tbody tr").ToDictionary(r => r.QuerySelector("td")!.TextContent);
        rows[admin.Email].QuerySelector("form").ShouldBeNull("an admin's own row has no changes");
        rows[admin.Email].QuerySelector(".you").ShouldNotBeNull();
        rows[editor.Email].QuerySelector($"label[for=role-{editor.Id}]")!.TextContent.ShouldBe($"Access for {editor.Email}");

        var changed = await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Role", new() { ["id"] = editor.Id.S(), ["newRole"] = "read-only" });
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.PageAsync(changed.Headers.Location!.ToString())).QuerySelector(".alert-success")!.TextContent.ShouldBe("The role was changed.");
        (await Users.FindAsync(editor.Id, Ct))!.Role.ShouldBe(UserRole.ReadOnly);

        // A crafted post about themselves is refused with the service's reason, next to the list.
        var own = await OkAsync(await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Role", new() { ["id"] = admin.Id.S(), ["newRole"] = "editor" }));
        own.QuerySelector("#user-error")!.TextContent.ShouldBe("You cannot change your own role; another admin can.");
        own = await OkAsync(await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Remove", new() { ["id"] = admin.Id.S() }));
        own.QuerySelector("#user-error")!.TextContent.ShouldBe("You cannot remove yourself; another admin can.");
        own = await OkAsync(await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Role", new() { ["id"] = editor.Id.S(), ["newRole"] = "owner" }));
        own.QuerySelector("#user-error")!.TextContent.ShouldBe("Choose a role.");
        (await Users.FindAsync(admin.Id, Ct))!.Role.ShouldBe(UserRole.Admin);

        var audit = AuditRows(await browser.PageAsync("/dashboard/audit?type=user"));
        audit[0].ShouldBe([$"{admin.Email} (user {admin.Id}) signed in", "role-changed", $"user {editor.Id}", $"{editor.Email}: editor to read-only"]);
    }

    [Fact]
    public async Task A_password_reset_shows_a_one_time_password_once_and_ends_the_users_sign_ins()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Resets");
        var (member, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, accountId: admin.AccountId);
        var theirs = DashboardBrowser.Open(app);
        (await theirs.SignInAsync(member.Email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await theirs.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await OkAsync(await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Reset", new() { ["id"] = member.Id.S() }));
        var oneTime = page.QuerySelector("#reset-password")!.TextContent.Trim();
        oneTime.Length.ShouldBeGreaterThanOrEqualTo(12);
        (await browser.PageAsync("/dashboard/users")).DocumentElement.OuterHtml.ShouldNotContain(oneTime);

        var after = await theirs.GetAsync("/dashboard");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect, "their old sign-in has ended");
        after.Headers.Location!.ToString().ShouldContain("/dashboard/signin");
        var fresh = DashboardBrowser.Open(app);
        (await fresh.SignInAsync(member.Email, oneTime)).Headers.Location!.ToString().ShouldBe("/dashboard/password", "they must choose a password first");
        AuditRows(await browser.PageAsync("/dashboard/audit"))[0].ShouldBe([$"{admin.Email} (user {admin.Id}) signed in", "password-reset", $"user {member.Id}", member.Email]);
    }

    [Fact]
    public async Task An_admin_removes_a_user_after_confirming_and_a_user_of_another_account_is_not_found()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Leavers");
        var (leaver, _) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: admin.AccountId);
        var (stranger, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, "Stranger");

        (await browser.PageAsync($"/dashboard/users?remove={leaver.Id}")).QuerySelector("#remove-title")!.TextContent.ShouldBe($"Remove {leaver.Email}?");
        (await browser.GetAsync($"/dashboard/users?remove={stranger.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Remove", new() { ["id"] = stranger.Id.S() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Reset", new() { ["id"] = stranger.Id.S() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Users.FindAsync(stranger.Id, Ct)).ShouldNotBeNull();

        var removed = await PostAsync(browser, "/dashboard/users", "/dashboard/users?handler=Remove", new() { ["id"] = leaver.Id.S() });
        removed.Headers.Location!.ToString().ShouldBe("/dashboard/users?done=removed");
        (await Users.FindAsync(leaver.Id, Ct)).ShouldBeNull();
        (await browser.PageAsync("/dashboard/users")).QuerySelector("main")!.TextContent.ShouldNotContain(leaver.Email);
        AuditRows(await browser.PageAsync("/dashboard/audit"))[0][1].ShouldBe("removed");
    }

    [Fact]
    public async Task An_admin_sees_the_account_and_renames_it_and_an_empty_name_is_refused()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Old name");

        var page = await browser.PageAsync("/dashboard/account");
        var facts = page.QuerySelectorAll(".facts dt").Zip(page.QuerySelectorAll(".facts dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        facts["Account ID"].ShouldBe(admin.AccountId.S());
        facts["Users"].ShouldBe("1");
        facts["Access tokens"].ShouldBe("1");
        page.QuerySelector("#account-name").ShouldBeAssignableTo<IHtmlInputElement>()!.Value.ShouldBe("Old name");

        var refused = await OkAsync(await PostAsync(browser, "/dashboard/account", "/dashboard/account", new() { ["name"] = " " }));
        refused.QuerySelector("#name-error")!.TextContent.ShouldBe("Give the account a name.");
        (await Accounts.IdentityAsync(admin.AccountId, Ct)).Name.ShouldBe("Old name");

        var saved = await PostAsync(browser, "/dashboard/account", "/dashboard/account", new() { ["name"] = "New name" });
        saved.Headers.Location!.ToString().ShouldBe("/dashboard/account?saved=true");
        var after = await browser.PageAsync("/dashboard/account?saved=true");
        after.QuerySelector(".topbar .account")!.TextContent.ShouldBe("New name");
        after.QuerySelector(".alert-success")!.TextContent.ShouldBe("The name was saved.");
        AuditRows(await browser.PageAsync("/dashboard/audit?type=account"))[0].ShouldBe([$"{admin.Email} (user {admin.Id}) signed in", "changed", $"account {admin.AccountId}", "name: New name"]);
    }

    [Fact]
    public async Task Every_user_reads_the_accounts_audit_log_newest_first_paged_and_filtered_and_no_other_accounts()
    {
        var (reader, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.ReadOnly, "Log");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var webhooks = new List<long>();
        for (var i = 0; i < 52; i++) webhooks.Add(await api.CreateAsync("/v3/webhooks", new { handler = $"https://hooks.example.com/{i}", trigger = "open" }));
        var domain = await api.CreateAsync("/v3/domains", new { domain = "log.example.com" });
        var stranger = await app.NewAccountAsync("Stranger");
        await stranger.CreateAsync("/v3/domains", new { domain = "stranger.example.com" });

        var page = await reader.PageAsync("/dashboard/audit");
        page.QuerySelector("#list-title")!.TextContent.ShouldBe("54 changes", "52 webhooks, a domain, and the user");
        var rows = AuditRows(page);
        rows.Count.ShouldBe(50);
        rows[0].ShouldBe(["token 'second' (id " + (await Accounts.TokensAsync(user.AccountId, Ct)).Single(t => t.Name == "second").Id + ") API token", "created", $"domain {domain}", "log.example.com"]);
        rows[1][2].ShouldBe($"webhook {webhooks[51]}");
        page.QuerySelector("main")!.TextContent.ShouldNotContain("stranger.example.com");
        page.QuerySelectorAll("form[method=post]").Where(f => f.Closest("main") is not null).ShouldBeEmpty("the log changes nothing");
        page.QuerySelector("a[rel=next]")!.GetAttribute("href").ShouldBe("/dashboard/audit?page=2");

        var second = await reader.PageAsync("/dashboard/audit?page=2");
        AuditRows(second).Count.ShouldBe(4);
        AuditRows(second).Last()[1].ShouldBe("created");
        AuditRows(second).Last()[2].ShouldBe($"user {user.Id}");

        var domains = await reader.PageAsync("/dashboard/audit?type=domain");
        domains.QuerySelector("#list-title")!.TextContent.ShouldBe("1 change");
        domains.QuerySelector("#audit-type").ShouldBeAssignableTo<IHtmlSelectElement>()!.Value.ShouldBe("domain");
        (await reader.PageAsync("/dashboard/audit?type=mailing")).QuerySelector("#list-title")!.TextContent.ShouldBe("54 changes", "an unknown filter shows everything");
        (await reader.PageAsync("/dashboard/audit?type=replay")).QuerySelector(".none")!.TextContent.ShouldBe("No changes of this kind.");
    }
}
