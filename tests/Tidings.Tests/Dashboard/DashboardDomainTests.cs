using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;
using Tidings.Users;
using Tidings.Webhooks.Domains;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The domains page, a domain's page and a webhook's Validation tab: what to publish, the real check against a test DNS
/// server and a test file server, its exact reason on failure, removal; read-only users and other accounts refused.
/// </summary>
public sealed class DashboardDomainTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}.example";

    private async Task<(DashboardBrowser Browser, User User, ApiClient Api)> SignedInAsync()
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor, "Domains");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, user, api);
    }

    private static Dictionary<string, string> Facts(IHtmlDocument page) =>
        page.QuerySelectorAll("dl.facts dt").ToDictionary(dt => dt.TextContent, dt => dt.NextElementSibling!.TextContent.Trim());

    private Task<DomainRecord> DomainAsync(long accountId, long id) =>
        app.Services.GetRequiredService<DomainStore>().RequireAsync(accountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

    [Fact]
    public async Task A_domain_added_on_the_domains_page_shows_the_record_and_file_to_publish_and_validates_by_DNS()
    {
        var (browser, user, _) = await SignedInAsync();
        var name = Unique("added");

        var added = await browser.SubmitAsync("/dashboard/domains", "Add domain", new Dictionary<string, string> { ["domain"] = name.ToUpperInvariant() });

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var path = added.Headers.Location!.ToString();
        var id = long.Parse(path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var domain = await DomainAsync(user.AccountId, id);
        var page = await browser.PageAsync(path);
        page.QuerySelector("h1")!.TextContent.ShouldBe(name);
        page.QuerySelector(".lead .state")!.TextContent.ShouldBe("Not validated");
        var facts = Facts(page);
        facts["Name"].ShouldBe("_tidings-challenge." + name);
        facts["Value"].ShouldBe(domain.TxtValue);
        facts["File name"].ShouldBe(domain.FileName);
        facts["Content"].ShouldBe(domain.FileContent);
        facts["Looked for at"].ShouldBe($"https://{name}/{domain.FileName}");

        var list = await browser.PageAsync("/dashboard/domains");
        var row = list.QuerySelectorAll("table.domains tbody tr").Single();
        row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).Take(3).ShouldBe([name, "Not validated", "not yet"]);

        var failed = await browser.SubmitAsync(path, "Validate", new Dictionary<string, string> { ["method"] = "dns" });
        failed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DashboardBrowser.ParseAsync(failed)).QuerySelector("[role=alert]")!.TextContent
            .ShouldBe($"Domain {name} is not validated. Looked up TXT _tidings-challenge.{name}: found no TXT record; expected \"{domain.TxtValue}\".");

        app.Dns.Txt["_tidings-challenge." + name] = [domain.TxtValue];
        var ok = await browser.SubmitAsync(path, "Validate", new Dictionary<string, string> { ["method"] = "dns" });

        ok.Headers.Location!.ToString().ShouldBe(path + "?validated=1");
        (await DomainAsync(user.AccountId, id)).Method.ShouldBe("dns");
        var validated = await browser.PageAsync(path + "?validated=1");
        validated.QuerySelector("[role=status]")!.TextContent.ShouldContain("has been validated");
        var after = (await browser.PageAsync("/dashboard/domains")).QuerySelector("table.domains tbody tr")!;
        after.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ElementAt(1).ShouldBe("Validated");
        after.QuerySelectorAll("td").ElementAt(2).TextContent.ShouldEndWith("UTC by DNS");
    }

    [Fact]
    public async Task Something_that_is_not_a_domain_is_refused_with_the_services_text_and_kept_in_the_field()
    {
        var (browser, user, _) = await SignedInAsync();

        var response = await browser.SubmitAsync("/dashboard/domains", "Add domain", new Dictionary<string, string> { ["domain"] = "not a domain" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await DashboardBrowser.ParseAsync(response);
        page.QuerySelector("#domain-error")!.TextContent.ShouldBe("'not a domain' is not a domain name (expected something like example.com).");
        ((IHtmlInputElement)page.QuerySelector("#domain")!).Value.ShouldBe("not a domain");
        (await app.Services.GetRequiredService<DomainStore>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task Removing_a_domain_asks_first()
    {
        var (browser, user, api) = await SignedInAsync();
        var name = Unique("removed");
        var id = await api.CreateAsync("/v3/domains", new { domain = name });

        var confirm = await browser.PageAsync($"/dashboard/domains/{id}/remove");
        confirm.QuerySelector("h1")!.TextContent.ShouldBe($"Remove {name}?");
        var response = await browser.SubmitAsync($"/dashboard/domains/{id}/remove", "Remove domain", new Dictionary<string, string>());

        response.Headers.Location!.ToString().ShouldBe("/dashboard/domains?removed=" + name);
        (await app.Services.GetRequiredService<DomainStore>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(0);
        (await browser.GetAsync($"/dashboard/domains/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_validation_tab_claims_the_handlers_domain_shows_what_to_publish_and_says_why_a_check_failed()
    {
        var (browser, user, api) = await SignedInAsync();
        var name = Unique("tab");
        var hook = await api.CreateAsync("/v3/webhooks", new { handler = $"https://hooks.{name}/in/hook.php", trigger = "open" });
        var tab = $"/dashboard/webhooks/{hook}/validation";

        var first = await browser.PageAsync(tab);
        first.QuerySelector("#status")!.TextContent.ShouldBe("Not validated");
        ((IHtmlInputElement)first.QuerySelector("#domain_name")!).Value.ShouldBe("hooks." + name, "the handler's host is offered");

        var claimed = await browser.SubmitAsync(tab, "Add domain", new Dictionary<string, string> { ["domain_name"] = name });
        claimed.Headers.Location!.ToString().ShouldBe(tab);
        var (domains, _) = await app.Services.GetRequiredService<DomainStore>().ListAsync(user.AccountId, 0, 10, Ct);
        var domain = domains.Single();
        var page = await browser.PageAsync(tab);
        var facts = Facts(page);
        facts["Name"].ShouldBe("_tidings-challenge." + name);
        facts["Value"].ShouldBe(domain.TxtValue);
        facts["File name"].ShouldBe(domain.FileName);
        facts["Content"].ShouldBe(domain.FileContent);
        page.QuerySelectorAll("dd ul li").Select(li => li.TextContent).ShouldBe([$"https://hooks.{name}/in/{domain.FileName}", $"https://hooks.{name}/{domain.FileName}"]);

        app.Dns.Txt["_tidings-challenge." + name] = ["tidings-verification=stale"];
        var failed = await browser.SubmitAsync(tab, "Validate", new Dictionary<string, string> { ["method"] = "dns" });

        failed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DashboardBrowser.ParseAsync(failed)).QuerySelector("[role=alert]")!.TextContent
            .ShouldBe($"Domain {name} is not validated. Looked up TXT _tidings-challenge.{name}: found only \"tidings-verification=stale\"; expected \"{domain.TxtValue}\".");

        app.Dns.Txt["_tidings-challenge." + name] = [domain.TxtValue];
        var ok = await browser.SubmitAsync(tab, "Validate", new Dictionary<string, string> { ["method"] = "" });

        ok.Headers.Location!.ToString().ShouldBe($"{tab}?validated={domain.Id}");
        var validated = await browser.PageAsync(ok.Headers.Location!.ToString());
        validated.QuerySelector("#status")!.TextContent.ShouldBe("Validated");
        validated.QuerySelector("main")!.TextContent.ShouldContain($"lies under {name}, validated by its DNS TXT record");
        (await api.GetJsonAsync($"/v3/webhook/{hook}"))["validated"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task The_validation_tab_finds_the_verification_file_next_to_the_handler_on_a_local_site()
    {
        await using var files = await TestFileServer.StartAsync();
        var (browser, user, api) = await SignedInAsync();
        var name = Unique("files").Replace(".example", ".test", StringComparison.Ordinal);
        app.Dns.A["hooks." + name] = "127.0.0.1";
        var port = new Uri(files.BaseUrl).Port;
        var hook = await api.CreateAsync("/v3/webhooks", new { handler = $"http://hooks.{name}:{port}/callbacks/in", trigger = "open" });
        var domainId = await api.CreateAsync("/v3/domains", new { domain = name });
        var domain = await DomainAsync(user.AccountId, domainId);
        var tab = $"/dashboard/webhooks/{hook}/validation";

        var failed = await browser.SubmitAsync(tab, "Validate", new Dictionary<string, string> { ["method"] = "file" });
        (await DashboardBrowser.ParseAsync(failed)).QuerySelector("[role=alert]")!.TextContent
            .ShouldContain($"http://hooks.{name}:{port}/callbacks/{domain.FileName}: HTTP 404");

        files.Files[$"/callbacks/{domain.FileName}"] = domain.FileContent;
        var ok = await browser.SubmitAsync(tab, "Validate", new Dictionary<string, string> { ["method"] = "file" });

        ((int)ok.StatusCode).ShouldBe(302, await ok.Content.ReadAsStringAsync(Ct));
        (await DomainAsync(user.AccountId, domainId)).Method.ShouldBe("file");
    }

    [Fact]
    public async Task A_read_only_user_sees_domains_and_what_to_publish_but_no_forms_and_their_posts_are_refused()
    {
        var (_, user, api) = await SignedInAsync();
        var name = Unique("ro");
        var domainId = await api.CreateAsync("/v3/domains", new { domain = name });
        var hook = await api.CreateAsync("/v3/webhooks", new { handler = $"https://{name}/in", trigger = "open" });
        var reader = await DashboardWebhookFormTests.ReaderAsync(app, user.AccountId);

        foreach (var path in new[] { "/dashboard/domains", $"/dashboard/domains/{domainId}", $"/dashboard/webhooks/{hook}/validation" })
        {
            var page = await reader.PageAsync(path);
            page.QuerySelectorAll("main form").Length.ShouldBe(0, path);
            page.QuerySelector("main")!.TextContent.ShouldContain("read-only", Case.Insensitive, path);
        }

        Facts(await reader.PageAsync($"/dashboard/domains/{domainId}"))["Name"].ShouldBe("_tidings-challenge." + name);
        (await reader.GetAsync($"/dashboard/domains/{domainId}/remove")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var posts = new (string, List<(string, string)>)[]
        {
            ("/dashboard/domains", [("domain", Unique("forged"))]),
            ($"/dashboard/domains/{domainId}", [("method", "dns")]),
            ($"/dashboard/domains/{domainId}/remove", []),
            ($"/dashboard/webhooks/{hook}/validation?handler=validate", [("domain", domainId.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        };
        foreach (var (path, fields) in posts)
        {
            (await DashboardWebhookFormTests.PostFormAsync(reader, path, fields)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        (await app.Services.GetRequiredService<DomainStore>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task Another_accounts_domain_is_not_found_and_cannot_be_validated_or_removed()
    {
        var (browser, _, api) = await SignedInAsync();
        var theirs = await app.NewAccountAsync("Theirs");
        var name = Unique("theirs");
        var domainId = await theirs.CreateAsync("/v3/domains", new { domain = name });
        app.Dns.Txt["_tidings-challenge." + name] = [(await DomainAsync(theirs.AccountId, domainId)).TxtValue];
        var myHook = await api.CreateAsync("/v3/webhooks", new { handler = $"https://{name}/in", trigger = "open" });
        var id = domainId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var path in new[] { $"/dashboard/domains/{id}", $"/dashboard/domains/{id}/remove" })
        {
            (await browser.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await DashboardWebhookFormTests.PostFormAsync(browser, path, [("method", "dns")])).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }

        var tab = await DashboardWebhookFormTests.PostFormAsync(browser, $"/dashboard/webhooks/{myHook}/validation?handler=validate", [("domain", id)]);
        tab.StatusCode.ShouldBe(HttpStatusCode.NotFound, "their claim does not validate my webhook");
        (await browser.PageAsync("/dashboard/domains")).QuerySelector("main")!.TextContent.ShouldNotContain(name);
        (await browser.PageAsync($"/dashboard/webhooks/{myHook}/validation")).QuerySelector("main")!.TextContent.ShouldNotContain("_tidings-challenge");
        (await DomainAsync(theirs.AccountId, domainId)).ValidatedAt.ShouldBeNull();
    }
}
