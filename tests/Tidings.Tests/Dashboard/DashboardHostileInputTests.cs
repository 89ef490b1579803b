using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// Hostile input to every dashboard form and to the query strings of the pages that read one: whatever an admin (the
/// role that reaches every form) sends, the answer is a page or a redirect, never a 5xx, and the account's objects are
/// still there afterwards.
/// </summary>
public sealed class DashboardHostileInputTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SqlitePassOnly = "Runs once, in the SQLite pass: it tests input handling, not storage.";

    private static readonly string[] HostileValues =
    [
        "", " ", "-1", "0", "99999999999999999999", "1e309", "NaN", "abc", "<script>alert(1)</script>", "{\"a\":",
        "[1,2", "'; DROP TABLE webhooks; --", "../../etc/passwd", "\u0000\u0001\u001f", "%00%ff", "a[", "x=y&z",
        "https://", "ftp://example.com/x", "http://[::1", new string('x', 20_000), "😀\u200b\u202e",
    ];

    /// <summary>Pages whose forms are posted (after a GET that yields the forms and the antiforgery token).</summary>
    private static IEnumerable<string> FormPages(long webhook, long domain) =>
    [
        "/dashboard/webhooks/new", $"/dashboard/webhooks/{webhook}/edit", $"/dashboard/webhooks/{webhook}",
        $"/dashboard/webhooks/{webhook}/validation", $"/dashboard/webhooks/{webhook}/test", $"/dashboard/webhooks/{webhook}/replays",
        $"/dashboard/webhooks/{webhook}/secrets", "/dashboard/webhooks", "/dashboard/domains", $"/dashboard/domains/{domain}",
        "/dashboard/tokens", "/dashboard/users", "/dashboard/account", "/dashboard/password",
    ];

    [Fact]
    public async Task No_form_post_with_hostile_values_gets_a_server_error_and_the_accounts_objects_stay()
    {
        if (TidingsApp.SuiteOnPostgres) Assert.Skip(SqlitePassOnly);
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Hostile forms");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var webhook = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.hostile.example.com/in"), new { trigger = "open" });
        var domain = await api.CreateAsync("/v3/domains", new { domain = "hostile.example.com" });
        await api.CreateDatabaseAsync("Kept", ("email", "email"));
        await DashboardBrowser.NewUserAsync(app, UserRole.Editor, accountId: user.AccountId);

        var failures = new List<string>();
        var forms = new HashSet<string>();
        foreach (var path in FormPages(webhook, domain)) await PostEveryFormAsync(browser, path, failures, forms);

        failures.ShouldBeEmpty();
        forms.Count.ShouldBeGreaterThanOrEqualTo(18, "every change form of the pages was reached: " + string.Join("; ", forms));
        // Refused input changed nothing it should not have: the webhook, the domain and the database are still there.
        (await api.GetAsync($"/v3/webhook/{webhook}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/v3/domain/{domain}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetJsonAsync("/v3/databases"))["total"]!.GetValue<long>().ShouldBe(1);

        // Last, the confirmations that remove things (whatever else they carry, a confirmed removal removes).
        var editor = (await app.Services.GetRequiredService<UserService>().ListAsync(user.AccountId, Ct)).First(u => u.Id != user.Id);
        var tokens = await app.Services.GetRequiredService<AccountService>().TokensAsync(user.AccountId, Ct);
        foreach (var path in new[] { $"/dashboard/users?remove={editor.Id}", $"/dashboard/tokens?revoke={tokens[0].Id}", $"/dashboard/webhooks/{webhook}/delete", $"/dashboard/domains/{domain}/remove" })
        {
            await PostEveryFormAsync(browser, path, failures, forms);
        }

        failures.ShouldBeEmpty();
        forms.Count.ShouldBeGreaterThanOrEqualTo(22, "the removal forms too: " + string.Join("; ", forms));
    }

    /// <summary>Posts each form of the page once per hostile value in every field it has; a 5xx is written to <paramref name="failures"/>.</summary>
    private static async Task PostEveryFormAsync(DashboardBrowser browser, string path, List<string> failures, HashSet<string> forms)
    {
        var page = await browser.PageAsync(path);
        foreach (var form in page.QuerySelectorAll("form").OfType<IHtmlFormElement>().Where(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase)))
        {
            var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
            if (action.Contains("signout", StringComparison.OrdinalIgnoreCase)) continue;
            var names = form.Elements.Select(e => e.GetAttribute("name")).OfType<string>().Where(n => n != "__RequestVerificationToken").Distinct().ToList();
            var token = form.Elements.OfType<IHtmlInputElement>().Single(i => i.Name == "__RequestVerificationToken").Value;
            forms.Add(action + " " + string.Join(",", names));
            foreach (var value in HostileValues)
            {
                var fields = names.ToDictionary(n => n, _ => value);
                fields["__RequestVerificationToken"] = token;
                var response = await browser.PostAsync(action, fields);
                if ((int)response.StatusCode >= 500) failures.Add($"POST {action} ({string.Join(", ", names)}) = '{Shown(value)}': {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task No_hostile_query_string_gets_a_server_error()
    {
        if (TidingsApp.SuiteOnPostgres) Assert.Skip(SqlitePassOnly);
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Hostile queries");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var profile = await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        var paths = new[]
        {
            "/dashboard/webhooks", "/dashboard/databases", $"/dashboard/databases/{database}/profiles", $"/dashboard/profiles/{profile}",
            "/dashboard/statistics", "/dashboard/statistics/mailings/1", "/dashboard/audit", "/dashboard/logfiles", "/dashboard/users",
            "/dashboard/tokens", "/dashboard/signin", "/dashboard/domains",
        };
        var parameters = new[] { "page", "fields[]", "fields", "orderby", "order", "collection", "window", "type", "returnUrl", "validated", "deleted", "created" };

        var failures = new List<string>();
        foreach (var path in paths)
        {
            foreach (var value in HostileValues.Where(v => v.Length < 1000))
            {
                var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p) + "=" + Uri.EscapeDataString(value)));
                var response = await browser.GetAsync(path + "?" + query);
                if ((int)response.StatusCode >= 500) failures.Add($"GET {path} with '{Shown(value)}': {(int)response.StatusCode}");
            }
        }

        failures.ShouldBeEmpty();
    }

    private static string Shown(string value) => value.Length > 40 ? value[..20] + $"…({value.Length} chars)" : value;
}
