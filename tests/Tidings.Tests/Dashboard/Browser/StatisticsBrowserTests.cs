using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Statistics;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The statistics pages and the home page's live chart in chromium.</summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class StatisticsBrowserTests(SharedChromium chromium, DashboardApp app)
{
    private const long Hour = 3_600_000;

    /// <summary>A mailing of the app's account to six destinations with opens, clicks and a bounce over the last day.</summary>
    private async Task<MailingScenario> MailingWithEventsAsync()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var scenario = await MailingScenario.CreateAsync(api, profiles: 6);
        var events = new StatisticsEvents(app, api);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var hoursAgo = 20; hoursAgo >= 0; hoursAgo--)
        {
            var at = now - hoursAgo * Hour;
            var opens = hoursAgo > 16 ? 0 : (hoursAgo * 7 + 3) % 6 + (hoursAgo > 10 ? 3 : 0);
            for (var i = 0; i < opens; i++) await events.OpenAsync(scenario.Destinations[i % 6], at + i);
            if (hoursAgo % 3 == 1) await events.ClickAsync(scenario.Destinations[hoursAgo % 6], at + 100, hoursAgo % 2);
        }

        for (var i = 0; i < 5; i++) await events.DeliveryAsync(scenario.Destinations[i], now - 18 * Hour);
        await events.FailureAsync(scenario.Destinations[5], now - 18 * Hour + 10);
        await events.CountedAsync();
        return scenario;
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_statistics_page_of_a_mailing_with_events_shows_its_charts()
    {
        var scenario = await MailingWithEventsAsync();
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        await page.GetByRole(AriaRole.Link, new() { Name = "Statistics" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/statistics$"));
        await Expect(page.MailingStatisticsLink(scenario.MailingId)).ToBeVisibleAsync();
        await page.CheckPageAsync("statistics");

        await page.MailingStatisticsLink(scenario.MailingId).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/statistics/mailings/{scenario.MailingId}$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Last 24 hours" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("window=24h$"));
        var opens = page.Chart("Opens per hour, last 24 hours");
        await Expect(opens).ToBeVisibleAsync();
        (await opens.Locator("rect.chart-bar").CountAsync()).ShouldBeGreaterThan(10, "an opens bar for most hours");
        await Expect(page.Chart("Clicks per hour, last 24 hours")).ToBeVisibleAsync();
        await Expect(page.Chart("Bounces and failures per hour, last 24 hours")).ToBeVisibleAsync();
        await page.CheckPageAsync("statistics-mailing");

        await page.GetByText("The same figures as a table").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Unique opens" })).ToBeVisibleAsync();
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_home_pages_live_chart_draws_the_events_as_they_are_counted()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var scenario = await MailingScenario.CreateAsync(api, profiles: 3);
        var events = new StatisticsEvents(app, api);
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));
        await Expect(page.LiveChart()).ToBeVisibleAsync();
        await page.WaitForLiveChartAsync(updates: 1, events: 0);

        for (var second = 0; second < 4; second++)
        {
            for (var i = 0; i <= second; i++) await events.OpenAsync(scenario.Destinations[i % 3], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await events.CountedAsync();
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }

        await page.WaitForLiveChartAsync(updates: 2, events: 10);
        (await page.LiveChart().Locator("rect.live-bar[height]:not([height='0'])").CountAsync()).ShouldBeGreaterThan(0);
        await page.CheckPageAsync("home");
    }
}
