using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>The log files page and its downloads: what the log file service lists for the account, the REST download's bytes.</summary>
public sealed class DashboardLogFileTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Today => app.Services.GetRequiredService<CopernicaTime>().FormatMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())[..10];

    /// <summary>Noon on a day of March 2026 in Europe/Amsterdam (UTC+1 then) as Unix ms.</summary>
    private static long March(int day) => new DateTimeOffset(2026, 3, day, 12, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();

    /// <summary>A signed-in user of a new account with mail attempts today and an open on 24 March, and its REST client.</summary>
    private async Task<(DashboardBrowser Browser, ApiClient Api)> AccountWithEventsAsync(UserRole role = UserRole.ReadOnly)
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, role, "Logs");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var scenario = await MailingScenario.CreateAsync(api, profiles: 2);
        var facts = new JsonObject { ["ip"] = "10.0.0.1", ["useragent"] = "Mozilla/5.0", ["referer"] = "", ["headers"] = new JsonObject() };
        var outcome = await app.Services.GetRequiredService<JournalWriter>().AppendAsync(
            new RawEvent(EventTypes.Open, DestinationKey.Token, scenario.Destinations[0].Token, null, March(24), facts), Ct);
        outcome.ShouldBe(AppendOutcome.Recorded);
        await app.Services.JournaledAsync(Ct);
        return (browser, api);
    }

    [Fact]
    public async Task The_page_lists_the_accounts_files_per_day_newest_first_with_today_still_growing()
    {
        var (browser, _) = await AccountWithEventsAsync();
        var other = await app.NewAccountAsync("Other logs");
        var stranger = await MailingScenario.CreateAsync(other, profiles: 1);
        await app.Services.GetRequiredService<JournalWriter>().AppendAsync(
            new RawEvent(EventTypes.Open, DestinationKey.Token, stranger.Destinations[0].Token, null, March(20), new JsonObject { ["ip"] = "10.0.0.2" }), Ct);
        await app.Services.JournaledAsync(Ct);

        var page = await browser.PageAsync("/dashboard/logfiles");

        var days = page.QuerySelectorAll("main section.card").Select(s => (
            Day: s.QuerySelector("h2")!.ChildNodes.First().TextContent.Trim(),
            Growing: s.QuerySelector("h2 .state")?.TextContent,
            Files: s.QuerySelectorAll("tbody tr td:nth-child(2)").Select(td => td.TextContent).ToList())).ToList();
        days.Select(d => d.Day).ShouldBe([Today, "2026-03-24"]);
        days[0].Growing.ShouldBe("still growing");
        days[0].Files.ShouldBe([$"cdm-attempts.{Today}.log"]);
        days[1].Growing.ShouldBeNull();
        days[1].Files.ShouldBe(["cdm-impression.2026-03-24.log"]);
        page.QuerySelector("main")!.TextContent.ShouldNotContain("2026-03-20", Case.Sensitive, "another account's day");
        page.QuerySelectorAll("tbody tr").Last().QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldBe([
            "/dashboard/logfiles/cdm-impression.2026-03-24.log/csv", "/dashboard/logfiles/cdm-impression.2026-03-24.log/json",
            "/dashboard/logfiles/cdm-impression.2026-03-24.log/xml"]);
        page.QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.TextContent).ShouldContain("Log files");
    }

    [Fact]
    public async Task A_download_through_the_dashboard_has_the_bytes_of_the_REST_download()
    {
        var (browser, api) = await AccountWithEventsAsync();

        foreach (var name in new[] { "cdm-impression.2026-03-24.log", $"cdm-attempts.{Today}.log" })
        {
            foreach (var format in new[] { "csv", "json", "xml" })
            {
                var rest = await api.GetAsync($"/v3/logfile/{name}/{format}");
                rest.StatusCode.ShouldBe(HttpStatusCode.OK);
                var expected = await rest.Content.ReadAsByteArrayAsync(Ct);

                var response = await browser.GetAsync($"/dashboard/logfiles/{name}/{format}");

                response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{name} {format}");
                var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
                bytes.ShouldBe(expected, $"{name} {format}");
                bytes.Length.ShouldBeGreaterThan(format == "csv" ? 0 : 20, "the file has rows");
                response.Content.Headers.ContentType!.ToString().ShouldBe(rest.Content.Headers.ContentType!.ToString());
                response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
                response.Content.Headers.ContentDisposition.FileName.ShouldBe(name[..^4] + "." + format);
                response.Headers.CacheControl!.NoStore.ShouldBeTrue();
                response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
            }
        }
    }

    [Fact]
    public async Task A_download_of_another_accounts_day_holds_none_of_its_events_and_a_bad_name_is_not_found()
    {
        var (_, owner) = await AccountWithEventsAsync();
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Admin, "Nosy");

        var theirs = await browser.GetAsync("/dashboard/logfiles/cdm-impression.2026-03-24.log/json");

        theirs.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await theirs.Content.ReadAsStringAsync(Ct);
        body.ShouldNotContain("10.0.0.1");
        body.ShouldBe(await (await owner.GetAsync("/v3/logfile/cdm-impression.2026-03-25.log/json")).Content.ReadAsStringAsync(Ct), "an empty file");
        foreach (var path in new[] { "/dashboard/logfiles/cdm-unknown.2026-03-24.log/csv", "/dashboard/logfiles/cdm-click.2026-03-24.log/txt" })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await DashboardBrowser.ParseAsync(response)).QuerySelector("h1")!.TextContent.ShouldBe("Not found");
        }
    }

    [Fact]
    public async Task An_account_without_events_is_told_when_files_appear()
    {
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor, "Quiet");

        var page = await browser.PageAsync("/dashboard/logfiles");

        page.QuerySelector("#empty-title")!.TextContent.ShouldBe("No log files yet");
    }

    [Theory]
    [InlineData("/dashboard/webhooks")]
    [InlineData("/dashboard/webhooks/1")]
    [InlineData("/dashboard/logfiles")]
    [InlineData("/dashboard/logfiles/cdm-attempts.2026-03-24.log/csv")]
    public async Task Signed_out_requests_are_sent_to_sign_in(string path)
    {
        var response = await DashboardBrowser.Open(app).GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().ShouldBe("/dashboard/signin?ReturnUrl=" + Uri.EscapeDataString(path));
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task The_pages_carry_the_security_headers_and_no_inline_script_or_style()
    {
        var (browser, _) = await AccountWithEventsAsync(UserRole.Editor);

        foreach (var path in new[] { "/dashboard/logfiles", "/dashboard/webhooks" })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'", path);
            response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY", path);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", path);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(path);
            var html = await response.Content.ReadAsStringAsync(Ct);
            var page = DashboardBrowser.Parse(html);
            page.QuerySelectorAll("script:not([src])").ShouldBeEmpty(path);
            page.QuerySelectorAll("style, [style]").ShouldBeEmpty(path);
            html.ShouldNotContain("access_token", Case.Insensitive, path);
        }
    }
}
