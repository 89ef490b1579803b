using System.Net;
using AngleSharp.Html.Dom;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Statistics;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The statistics pages, the home page's counts and live chart markup, and the log files page's event counts: what the
/// statistics service has for the signed-in user's account, and nothing of another account.
/// </summary>
public sealed class DashboardStatisticsTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const long Hour = 3_600_000;

    /// <summary>A signed-in read-only user of a new account with a mailing to two destinations, and that mailing.</summary>
    private async Task<(DashboardBrowser Browser, MailingScenario Scenario, StatisticsEvents Events)> AccountWithMailingAsync()
    {
        var client = await app.NewAccountAsync("Stats");
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: client.AccountId);
        var browser = DashboardBrowser.Open(app);
        ((int)(await browser.SignInAsync(user.Email, password)).StatusCode).ShouldBe(302);
        var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
        return (browser, scenario, new StatisticsEvents(app, client));
    }

    /// <summary>The start of the UTC hour <paramref name="hoursAgo"/> hours before now, plus a minute.</summary>
    private static long HoursAgo(int hoursAgo)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return now - now % Hour - hoursAgo * Hour + 60_000;
    }

    [Fact]
    public async Task The_statistics_page_lists_the_accounts_mailings_with_totals_and_uniques()
    {
        var (browser, scenario, events) = await AccountWithMailingAsync();
        var (d0, d1) = (scenario.Destinations[0], scenario.Destinations[1]);
        await events.OpenAsync(d0, HoursAgo(2));
        await events.OpenAsync(d0, HoursAgo(1));
        await events.OpenAsync(d1, HoursAgo(1));
        await events.ClickAsync(d0, HoursAgo(1));
        await events.DeliveryAsync(d0, HoursAgo(2));
        await events.CountedAsync();
        var other = await MailingScenario.CreateAsync(await app.NewAccountAsync("Other stats"), profiles: 1);

        var page = await browser.PageAsync("/dashboard/statistics");

        var rows = page.QuerySelectorAll("table.mailing-stats tbody tr");
        rows.Length.ShouldBe(1, "only the account's own mailing");
        var cells = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        rows[0].QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/statistics/mailings/{scenario.MailingId}");
        cells[0].ShouldStartWith("November sale");
        cells[2].ShouldBe("2", "destinations");
        cells[3].ShouldBe("1", "delivered");
        cells[5].ShouldBe("3 2 unique", "opens");
        cells[6].ShouldBe("1 1 unique", "clicks");
        page.QuerySelector("main")!.TextContent.ShouldNotContain($"mailing {other.MailingId}");
        page.QuerySelector("nav[aria-label=Main] a[aria-current=page]")!.TextContent.ShouldBe("Statistics");
    }

    [Fact]
    public async Task A_mailings_page_draws_opens_clicks_and_bounces_per_hour_from_the_hourly_aggregates_with_a_table_of_them()
    {
        var (browser, scenario, events) = await AccountWithMailingAsync();
        var (d0, d1) = (scenario.Destinations[0], scenario.Destinations[1]);
        await events.OpenAsync(d0, HoursAgo(3));
        await events.OpenAsync(d1, HoursAgo(3) + 1000);
        await events.OpenAsync(d0, HoursAgo(3) + 2000);
        await events.ClickAsync(d0, HoursAgo(3) + 3000);
        await events.FailureAsync(d1, HoursAgo(1));
        await events.OpenAsync(d0, HoursAgo(30 * 24)); // far back: outside the last 24 hours and 7 days
        await events.CountedAsync();

        var page = await browser.PageAsync($"/dashboard/statistics/mailings/{scenario.MailingId}?window=24h");

        page.QuerySelector("h1")!.TextContent.ShouldBe("November sale");
        page.QuerySelector(".window-choice a[aria-current=true]")!.TextContent.ShouldBe("Last 24 hours");
        page.QuerySelectorAll(".window-choice a").Select(a => a.GetAttribute("href")).ShouldBe(
            new[] { "24h", "7d", "30d", "all" }.Select(w => $"/dashboard/statistics/mailings/{scenario.MailingId}?window={w}"));
        var charts = page.QuerySelectorAll("svg.chart-svg");
        charts.Select(c => c.GetAttribute("role")).ShouldAllBe(r => r == "img");
        charts.Select(c => c.QuerySelector("title")!.TextContent).ShouldBe(["Opens per hour, last 24 hours", "Clicks per hour, last 24 hours", "Bounces and failures per hour, last 24 hours"]);
        charts[0].QuerySelector("desc")!.TextContent.ShouldStartWith("3 opens from ");
        charts[0].QuerySelectorAll("rect.chart-bar").Length.ShouldBe(1, "one hour with opens");
        charts[2].QuerySelectorAll("rect.chart-bar").Length.ShouldBe(1, "one hour with a failure");
        var bars = charts[0].QuerySelectorAll("rect").Concat(charts[2].QuerySelectorAll("rect")).ToList();
        bars.ShouldAllBe(b => b.GetAttribute("style") == null, "the CSP refuses inline style");

        var table = page.QuerySelector("details.chart-figures table")!;
        table.QuerySelectorAll("thead th").Select(th => th.TextContent).ShouldBe(["From", "Opens", "Clicks", "Bounces and failures", "Unique opens", "Unique clicks"]);
        var figures = table.QuerySelectorAll("tbody tr").Select(tr => tr.Children.Select(c => c.TextContent).ToList()).ToList();
        figures.Count.ShouldBe(2, "hours without events are left out");
        figures[0].Skip(1).ShouldBe(["3", "1", "0", "2", "1"]);
        figures[0][0].ShouldBe(Tidings.Dashboard.DashboardFormat.Time(HoursAgo(3) - 60_000));
        figures[1].Skip(1).ShouldBe(["0", "0", "1", "0", "0"]);

        var all = await browser.PageAsync($"/dashboard/statistics/mailings/{scenario.MailingId}?window=all");
        all.QuerySelector("svg.chart-svg desc")!.TextContent.ShouldStartWith("4 opens from ", Case.Sensitive, "all keeps the opens of 30 days ago");
    }

    [Fact]
    public async Task Another_accounts_mailing_and_an_unknown_one_are_not_found()
    {
        var (browser, _, _) = await AccountWithMailingAsync();
        var other = await MailingScenario.CreateAsync(await app.NewAccountAsync("Other"), profiles: 1);

        (await browser.GetAsync($"/dashboard/statistics/mailings/{other.MailingId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync("/dashboard/statistics/mailings/999999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_home_page_shows_the_last_24_hours_of_events_and_the_live_chart_that_works_without_script()
    {
        var (browser, scenario, events) = await AccountWithMailingAsync();
        await events.OpenAsync(scenario.Destinations[0], HoursAgo(1));
        await events.CountedAsync();

        var page = await browser.PageAsync("/dashboard");

        var tile = page.QuerySelectorAll(".tile").Single(t => t.QuerySelector(".tile-label")!.TextContent == "Events in the last 24 hours");
        tile.QuerySelector(".tile-value")!.TextContent.ShouldBe("5", "two profiles created, two mail attempts and an open");
        tile.QuerySelectorAll(".tile-detail").Select(d => d.TextContent).ShouldBe(["2 sent", "2 profiles created", "1 opens"]);
        var chart = page.QuerySelector("svg.live-chart")!;
        chart.GetAttribute("data-live-source").ShouldBe("/dashboard/live/events");
        chart.GetAttribute("role").ShouldBe("img");
        page.QuerySelectorAll("script").OfType<IHtmlScriptElement>().Select(s => s.Source!.Split('?')[0]).ShouldContain("/dashboard/assets/live-chart.js");
        page.QuerySelector("noscript").ShouldNotBeNull();
        var script = await browser.GetAsync(page.QuerySelectorAll("script").OfType<IHtmlScriptElement>().Single().Source!);
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
    }

    [Fact]
    public async Task The_log_files_page_shows_each_files_event_count_from_the_hourly_aggregates()
    {
        var (browser, scenario, events) = await AccountWithMailingAsync();
        await events.OpenAsync(scenario.Destinations[0], StatisticsEvents.Day1);
        await events.OpenAsync(scenario.Destinations[1], StatisticsEvents.Day1 + Hour);
        await events.ClickAsync(scenario.Destinations[1], StatisticsEvents.Day2);
        await events.CountedAsync();

        var page = await browser.PageAsync("/dashboard/logfiles");

        var counts = page.QuerySelectorAll("tbody tr").ToDictionary(
            tr => tr.QuerySelector("td:nth-child(2)")!.TextContent, tr => tr.QuerySelector("td.num")!.TextContent);
        counts["cdm-impression.2026-03-10.log"].ShouldBe("2");
        counts["cdm-click.2026-03-11.log"].ShouldBe("1");
        counts.Where(c => c.Key.StartsWith("cdm-attempts.", StringComparison.Ordinal)).Select(c => c.Value).ShouldBe(["2"]);
        page.QuerySelectorAll("thead th").Select(th => th.TextContent).Distinct().ShouldBe(["Type", "File", "Events", "Download"]);
    }
}
