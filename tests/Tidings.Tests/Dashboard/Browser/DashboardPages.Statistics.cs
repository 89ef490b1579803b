using Microsoft.Playwright;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The statistics pages and the home page's live chart, as a person (or a screen reader) finds them.</summary>
internal static partial class DashboardPages
{
    /// <summary>A chart of a mailing's page, by its accessible name (the SVG's title).</summary>
    public static ILocator Chart(this IPage page, string title) => page.GetByRole(AriaRole.Img, new() { Name = title });

    /// <summary>The link to a mailing's statistics on the statistics page.</summary>
    public static ILocator MailingStatisticsLink(this IPage page, long mailingId) => page.Locator($"a[href='/dashboard/statistics/mailings/{mailingId}']");

    /// <summary>The home page's live chart.</summary>
    public static ILocator LiveChart(this IPage page) => page.GetByRole(AriaRole.Img, new() { Name = "Events per second" });

    /// <summary>Waits until the live chart's script has drawn at least <paramref name="updates"/> times with at least <paramref name="events"/> events in its minute.</summary>
    public static Task WaitForLiveChartAsync(this IPage page, int updates, long events) =>
        page.WaitForFunctionAsync(
            "([u, e]) => { const s = document.querySelector('svg[data-live-source]'); return s && Number(s.dataset.updates ?? 0) >= u && Number(s.dataset.sum ?? 0) >= e; }",
            new object[] { updates, events }, new() { Timeout = 20_000 });
}
