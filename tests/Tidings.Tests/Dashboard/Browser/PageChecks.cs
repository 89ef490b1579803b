using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>What every page test does with a page it reached: the accessibility pass, and a screenshot when asked.</summary>
internal static class PageChecks
{
    /// <summary>Set to a folder to have each page test save a full-page PNG there (docs/screenshots/).</summary>
    public const string ScreenshotsVariable = "TIDINGS_SCREENSHOTS";

    /// <summary>Runs axe on the page and fails on any serious or critical violation, listing them.</summary>
    public static async Task ShouldBeAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe();
        var violations = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} ({v.HelpUrl})\n    "
                + string.Join("\n    ", v.Nodes.Select(n => $"{n.Target} {n.Html}")))
            .ToList();
        violations.ShouldBeEmpty($"axe on {page.Url}:\n" + string.Join("\n", violations));
    }

    /// <summary>The page's full-length screenshot as <paramref name="name"/>.png, only when <see cref="ScreenshotsVariable"/> is set.</summary>
    public static async Task SaveScreenshotAsync(this IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable(ScreenshotsVariable);
        if (string.IsNullOrWhiteSpace(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Both: every page a test reaches is checked, and photographed when asked.</summary>
    public static async Task CheckPageAsync(this IPage page, string screenshotName)
    {
        await page.ShouldBeAccessibleAsync();
        await page.SaveScreenshotAsync(screenshotName);
    }
}
