using System.Net;
using System.Text.RegularExpressions;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>The dashboard's pages: security headers, the layout, the home page, the users page and its role checks.</summary>
public sealed partial class DashboardPageTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_dashboard_response_carries_the_security_headers()
    {
        var (signedIn, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor);
        var anonymous = DashboardBrowser.Open(app);
        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("sign-in page", await anonymous.GetAsync("/dashboard/signin")),
            ("redirect to sign-in", await anonymous.GetAsync("/dashboard")),
            ("home", await signedIn.GetAsync("/dashboard")),
            ("403", await signedIn.GetAsync("/dashboard/users")),
            ("404", await signedIn.GetAsync("/dashboard/no-such-page")),
            ("style sheet", await signedIn.GetAsync("/dashboard/assets/dashboard.css")),
        };

        foreach (var (what, response) in responses)
        {
            var headers = response.Headers;
            headers.GetValues("Content-Security-Policy").Single().ShouldBe(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'", what);
            headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY", what);
            headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin", what);
            headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", what);
        }

        responses[2].Response.Headers.CacheControl!.NoStore.ShouldBeTrue("pages are not kept by browsers or proxies");
        (await app.CreateClient().GetAsync("/v3/databases", Ct)).Headers.Contains("Content-Security-Policy").ShouldBeFalse("the REST API is left alone");
    }

    [Fact]
    public async Task Pages_have_no_inline_script_or_style_and_link_one_self_hosted_style_sheet()
    {
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin);
        foreach (var path in new[] { "/dashboard", "/dashboard/users", "/dashboard/password" })
        {
            var html = await (await browser.GetAsync(path)).Content.ReadAsStringAsync(Ct);
            var page = DashboardBrowser.Parse(html);
            page.QuerySelectorAll("script:not([src])").ShouldBeEmpty(path);
            page.QuerySelectorAll("style, [style]").ShouldBeEmpty(path);
            InlineHandler().IsMatch(html).ShouldBeFalse(path);
            var sheet = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
            sheet.ShouldStartWith("/dashboard/assets/dashboard.css?v=");
            page.QuerySelector("header").ShouldNotBeNull();
            page.QuerySelector("nav[aria-label]").ShouldNotBeNull();
            page.QuerySelector("main").ShouldNotBeNull();

            var css = await browser.GetAsync(sheet);
            css.StatusCode.ShouldBe(HttpStatusCode.OK);
            css.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");
            css.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365), "the URL carries the content's hash");
        }

        (await DashboardBrowser.Open(app).GetAsync("/dashboard/assets/dashboard.css")).StatusCode.ShouldBe(HttpStatusCode.OK, "assets need no sign-in");
        (await browser.GetAsync("/dashboard/assets/nothing.css")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_home_page_counts_what_the_account_has()
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.ReadOnly, "Counting");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        await api.CreateDatabaseAsync("First");
        await api.CreateDatabaseAsync("Second");
        await DashboardBrowser.NewUserAsync(app, UserRole.Editor, accountId: user.AccountId);
        await DashboardBrowser.NewUserAsync(app, UserRole.Editor, "Other account");

        var page = await browser.PageAsync("/dashboard");

        page.QuerySelector("h1")!.TextContent.ShouldBe("Counting");
        var tiles = page.QuerySelectorAll(".tile").ToDictionary(t => t.QuerySelector(".tile-label")!.TextContent, t => t.QuerySelector(".tile-value")!.TextContent);
        tiles["Databases"].ShouldBe("2");
        tiles["Users"].ShouldBe("2");
        tiles["Webhooks"].ShouldBe("0");
        page.QuerySelectorAll("nav a").Select(a => a.TextContent).ShouldBe(
            ["Home", "Webhooks", "Domains", "Databases", "Statistics", "Log files", "Audit log"], "only admins see tokens, users and the account");
    }

    [Theory]
    [InlineData("editor")]
    [InlineData("read-only")]
    public async Task Only_admins_reach_the_users_page(string roleName)
    {
        UserRoles.TryParse(roleName, out var role).ShouldBeTrue();
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, role);

        var response = await browser.GetAsync("/dashboard/users");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await DashboardBrowser.ParseAsync(response)).QuerySelector("h1")!.TextContent.ShouldBe("Not allowed");
        var (admin, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin);
        var token = (await admin.PageAsync("/dashboard/users")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        (await browser.PostAsync("/dashboard/users", new Dictionary<string, string> { ["email"] = "x@example.com", ["role"] = "admin", ["__RequestVerificationToken"] = token }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_lists_the_accounts_users_and_adds_one_whose_one_time_password_is_shown_once()
    {
        var (browser, admin, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin);
        var (colleague, _) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: admin.AccountId);
        var (stranger, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin, "Another account");

        var list = await browser.PageAsync("/dashboard/users");
        // The four columns of facts; the fifth holds the changes (DashboardAccountTests).
        var rows = list.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").Take(4).Select(c => c.TextContent.Trim()).ToList()).ToList();
        rows.Select(r => r[0]).ShouldBe(new[] { admin.Email, colleague.Email }.Order(StringComparer.Ordinal), ignoreOrder: true);
        rows.Single(r => r[0] == colleague.Email).ShouldBe([colleague.Email, "read-only", "no", "never"]);
        rows.Single(r => r[0] == admin.Email)[3].ShouldMatch(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$");
        list.QuerySelector("main")!.TextContent.ShouldNotContain(stranger.Email);
        var email = list.QuerySelector("#new-email")!;
        list.QuerySelector("label[for=new-email]")!.TextContent.ShouldBe("E-mail address");
        list.QuerySelector("label[for=new-role]")!.TextContent.ShouldBe("Role");
        email.GetAttribute("name").ShouldBe("email");

        var newEmail = $"added-{Guid.NewGuid():N}@example.com";
        var added = await browser.SubmitAsync("/dashboard/users", "Add user", new Dictionary<string, string> { ["email"] = newEmail, ["role"] = "editor" });

        added.StatusCode.ShouldBe(HttpStatusCode.OK);
        added.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var result = await DashboardBrowser.ParseAsync(added);
        var oneTime = result.QuerySelector(".secret code")!.TextContent;
        oneTime.Length.ShouldBe(20);
        result.QuerySelectorAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent).ShouldContain(newEmail);
        (await (await browser.GetAsync("/dashboard/users")).Content.ReadAsStringAsync(Ct)).ShouldNotContain(oneTime);

        var newcomer = DashboardBrowser.Open(app);
        (await newcomer.SignInAsync(newEmail, oneTime)).Headers.Location!.OriginalString.ShouldBe("/dashboard/password");

        var again = await browser.SubmitAsync("/dashboard/users", "Add user", new Dictionary<string, string> { ["email"] = newEmail, ["role"] = "editor" });
        (await DashboardBrowser.ParseAsync(again)).QuerySelector("[role=alert]")!.TextContent.ShouldBe("A user with this e-mail address already exists.");
    }

    [Fact]
    public async Task A_read_only_user_changes_nothing_but_their_own_password()
    {
        var (browser, _, password) = await DashboardBrowser.SignedInAsync(app, UserRole.ReadOnly);
        var token = (await browser.PageAsync("/dashboard/password")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var path in new[] { "/dashboard", "/dashboard/users", "/dashboard/no-such-page" })
        {
            (await browser.PostAsync(path, new Dictionary<string, string> { ["__RequestVerificationToken"] = token })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        var changed = await browser.SubmitAsync("/dashboard/password", "Change password",
            new Dictionary<string, string> { ["current"] = password, ["new"] = "read-only but mine", ["repeat"] = "read-only but mine" });
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task An_unknown_dashboard_page_is_a_404_page()
    {
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin);

        var response = await browser.GetAsync("/dashboard/webhook/123");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await DashboardBrowser.ParseAsync(response)).QuerySelector("h1")!.TextContent.ShouldBe("Not found");
        (await DashboardBrowser.Open(app).GetAsync("/dashboard/nothing")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/", "text/html,application/xhtml+xml,*/*;q=0.8", "/dashboard")]
    [InlineData("GET", "/", "application/json", "/docs")]
    [InlineData("GET", "/", null, "/docs")]
    [InlineData("GET", "/?other=1", "text/html", "/docs")]
    public async Task The_root_leads_a_browser_to_the_dashboard_and_everything_else_where_it_went(string method, string path, string? accept, string location)
    {
        var client = DashboardBrowser.Open(app).Http;
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(location);
    }

    [Fact]
    public async Task A_post_to_the_root_is_not_sent_to_the_dashboard_but_answered_by_the_soap_api()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("<soap/>") };
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await DashboardBrowser.Open(app).Http.SendAsync(request, Ct);

        // Not a SOAP envelope: the SOAP API's Fault, HTTP 500 as SOAP 1.1 requires, and no redirect.
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("<faultcode>SOAP-ENV:Client</faultcode>");
    }

    [Theory]
    [InlineData("/?wsdl")]
    [InlineData("/?SOAPAPI=WSDL")]
    public async Task The_wsdl_query_on_the_root_is_the_soap_apis_wsdl_even_for_a_browser(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await DashboardBrowser.Open(app).Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("POM_SOAP_API");
    }

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
