using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>Signing in to the dashboard, the forced password change, sign-out and where unauthenticated requests go.</summary>
public sealed class DashboardSignInTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Passwords(string current, string next, string repeat) =>
        new() { ["current"] = current, ["new"] = next, ["repeat"] = repeat };

    [Fact]
    public async Task The_sign_in_page_has_labelled_fields_and_a_sign_in_button()
    {
        var page = await DashboardBrowser.Open(app).PageAsync("/dashboard/signin");

        page.DocumentElement.GetAttribute("lang").ShouldBe("en");
        var email = page.QuerySelector("input[name=email]").ShouldNotBeNull();
        page.QuerySelector($"label[for={email.Id}]")!.TextContent.Trim().ShouldBe("E-mail address");
        var password = page.QuerySelector("input[name=password]").ShouldNotBeNull();
        password.GetAttribute("type").ShouldBe("password");
        page.QuerySelector($"label[for={password.Id}]")!.TextContent.Trim().ShouldBe("Password");
        page.QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ShouldContain("Sign in");
        page.QuerySelector("input[name=__RequestVerificationToken]").ShouldNotBeNull("the form carries an antiforgery token");
        page.QuerySelector("main").ShouldNotBeNull();
    }

    [Fact]
    public async Task A_right_password_signs_in_with_an_httponly_lax_cookie_and_shows_the_account()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, "Signed-in account");
        var browser = DashboardBrowser.Open(app);

        var response = await browser.SignInAsync(user.Email, password);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/dashboard");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".Tidings.Dashboard=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        cookie.ShouldContain("path=/dashboard", Case.Insensitive);
        cookie.ShouldNotContain("secure", Case.Insensitive, "plain HTTP: the cookie is Secure only under HTTPS");
        cookie.ShouldNotContain("expires", Case.Insensitive, "a session cookie: the idle timeout is in the ticket");

        var home = await browser.PageAsync("/dashboard");
        home.QuerySelector("h1")!.TextContent.ShouldBe("Signed-in account");
        home.QuerySelector("header")!.TextContent.ShouldContain(user.Email);
        home.QuerySelector("header")!.TextContent.ShouldContain("editor");
        (await app.Services.GetRequiredService<UserService>().FindAsync(user.Id, Ct))!.LastSignIn.ShouldNotBeNull();
    }

    [Fact]
    public async Task Under_https_the_cookies_are_secure()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin);
        var browser = DashboardBrowser.Open(app, https: true);

        var form = await browser.GetAsync("/dashboard/signin");
        form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".Tidings.Antiforgery=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);
        var response = await browser.SignInAsync(user.Email, password);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".Tidings.Dashboard=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_address_get_the_same_answer()
    {
        var (user, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin);
        var browser = DashboardBrowser.Open(app);

        var wrong = await browser.SignInAsync(user.Email, "not the password at all");
        var unknown = await browser.SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", "not the password at all");

        foreach (var response in new[] { wrong, unknown })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await DashboardBrowser.ParseAsync(response);
            page.QuerySelector("[role=alert]")!.TextContent.Trim().ShouldBe("The e-mail address or password is not right.");
            response.Headers.TryGetValues("Set-Cookie", out var cookies);
            (cookies ?? []).ShouldNotContain(c => c.StartsWith(".Tidings.Dashboard=", StringComparison.Ordinal));
        }

        (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task After_too_many_failures_the_page_says_the_address_is_locked_and_until_when()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin);
        var browser = DashboardBrowser.Open(app);
        for (var i = 0; i < 4; i++) await browser.SignInAsync(user.Email, "not the password at all");

        var fifth = await DashboardBrowser.ParseAsync(await browser.SignInAsync(user.Email, "not the password at all"));
        var rightNow = await DashboardBrowser.ParseAsync(await browser.SignInAsync(user.Email, password));

        foreach (var page in new[] { fifth, rightNow })
        {
            var message = page.QuerySelector("[role=alert]")!.TextContent;
            message.ShouldContain("locked");
            message.ShouldMatch(@"until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC");
        }
    }

    [Fact]
    public async Task Unauthenticated_pages_lead_to_the_sign_in_and_back_but_never_to_another_site()
    {
        var browser = DashboardBrowser.Open(app);
        var response = await browser.GetAsync("/dashboard/users");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().ShouldBe("/dashboard/signin?ReturnUrl=%2Fdashboard%2Fusers");

        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin);
        var back = await browser.SignInAsync(user.Email, password, "/dashboard/signin?ReturnUrl=%2Fdashboard%2Fusers");
        back.Headers.Location!.OriginalString.ShouldBe("/dashboard/users");

        foreach (var elsewhere in new[] { "https://evil.example/", "//evil.example/", "/\\evil.example/", "/docs" })
        {
            var signedIn = await DashboardBrowser.Open(app).SignInAsync(user.Email, password, "/dashboard/signin?ReturnUrl=" + Uri.EscapeDataString(elsewhere));
            signedIn.Headers.Location!.OriginalString.ShouldBe("/dashboard", elsewhere);
        }
    }

    [Fact]
    public async Task A_one_time_password_leads_to_the_password_page_and_nothing_else_until_it_is_changed()
    {
        var account = await app.NewAccountAsync();
        var users = app.Services.GetRequiredService<UserService>();
        var (user, oneTime) = await users.CreateAsync(account.AccountId, $"new-{Guid.NewGuid():N}@example.com", UserRole.Admin, null, Ct);
        var browser = DashboardBrowser.Open(app);

        var signedIn = await browser.SignInAsync(user.Email, oneTime!);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/dashboard/password");
        foreach (var path in new[] { "/dashboard", "/dashboard/users" })
        {
            var held = await browser.GetAsync(path);
            held.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            held.Headers.Location!.OriginalString.ShouldBe("/dashboard/password", path);
        }

        var page = await browser.PageAsync("/dashboard/password");
        foreach (var (name, label) in new[] { ("current", "Current password"), ("new", "New password"), ("repeat", "Repeat new password") })
        {
            var input = page.QuerySelector($"input[name={name}]").ShouldNotBeNull(name);
            page.QuerySelector($"label[for={input.Id}]")!.TextContent.Trim().ShouldBe(label);
        }

        var mismatch = await browser.SubmitAsync("/dashboard/password", "Change password", Passwords(oneTime!, "a new long password", "another long password"));
        (await DashboardBrowser.ParseAsync(mismatch)).QuerySelector("[role=alert]")!.TextContent.ShouldContain("differ");
        var tooShort = await browser.SubmitAsync("/dashboard/password", "Change password", Passwords(oneTime!, "short", "short"));
        (await DashboardBrowser.ParseAsync(tooShort)).QuerySelector("[role=alert]")!.TextContent.ShouldContain("at least 12 characters");

        var changed = await browser.SubmitAsync("/dashboard/password", "Change password", Passwords(oneTime!, "a new long password", "a new long password"));
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        changed.Headers.Location!.OriginalString.ShouldBe("/dashboard");
        (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await users.FindAsync(user.Id, Ct))!.MustChangePassword.ShouldBeFalse();
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sign_ins_of_the_user_but_not_this_one()
    {
        var (first, user, password) = await DashboardBrowser.SignedInAsync(app, UserRole.ReadOnly);
        var second = DashboardBrowser.Open(app);
        (await second.SignInAsync(user.Email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var changed = await first.SubmitAsync("/dashboard/password", "Change password", Passwords(password, "an even longer password", "an even longer password"));

        changed.Headers.Location!.OriginalString.ShouldBe("/dashboard/password?changed=true");
        (await first.PageAsync("/dashboard/password?changed=true")).QuerySelector("[role=status]")!.TextContent.ShouldContain("changed");
        (await first.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ended = await second.GetAsync("/dashboard");
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        ended.Headers.Location!.PathAndQuery().ShouldStartWith("/dashboard/signin");
    }

    [Fact]
    public async Task Signing_out_is_a_form_post_and_ends_the_sign_in()
    {
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor);

        var link = await browser.GetAsync("/dashboard/signout");
        link.Headers.Location!.OriginalString.ShouldBe("/dashboard", "a GET changes nothing");
        (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await browser.SubmitAsync("/dashboard", "Sign out", new Dictionary<string, string>());

        response.Headers.Location!.OriginalString.ShouldBe("/dashboard/signin");
        (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin);
        var browser = DashboardBrowser.Open(app);
        await browser.GetAsync("/dashboard/signin");

        var response = await browser.PostAsync("/dashboard/signin", new Dictionary<string, string> { ["email"] = user.Email, ["password"] = password });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith(".Tidings.Dashboard=", StringComparison.Ordinal));

        var (signedIn, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin);
        (await signedIn.PostAsync("/dashboard/users", new Dictionary<string, string> { ["email"] = "x@example.com", ["role"] = "admin" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await signedIn.PostAsync("/dashboard/signout", new Dictionary<string, string>())).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_form_with_a_malformed_field_name_is_refused_not_a_server_error()
    {
        var browser = DashboardBrowser.Open(app);

        var response = await browser.SubmitAsync("/dashboard/signin", "Sign in", new Dictionary<string, string> { ["a["] = "1", ["email"] = "x@example.com", ["password"] = "x" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DashboardBrowser.ParseAsync(response)).QuerySelector("[role=alert]")!.TextContent.Trim().ShouldBe("The e-mail address or password is not right.");
    }
}

internal static class UriPaths
{
    /// <summary>The path and query of a redirect's Location, whether it is absolute or relative.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
