using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The webhook delivery pages as a person uses them: test webhook, check now, replays.</summary>
internal static partial class DashboardPages
{
    /// <summary>Replaces the test form's post data and sends it, waiting for the answer page.</summary>
    public static async Task SendTestCallAsync(this IPage page, string postData)
    {
        await page.GetByLabel(FieldsAsJson()).FillAsync(postData);
        await page.PostByClickAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send test call" }));
    }

    /// <summary>The test form's post data field (its label names the webhook's format).</summary>
    [GeneratedRegex("^Fields, as JSON")]
    public static partial Regex FieldsAsJson();

    /// <summary>Starts a replay of every event from <paramref name="fromUtc"/> until now.</summary>
    public static async Task StartRangeReplayAsync(this IPage page, DateTime fromUtc)
    {
        await page.GetByLabel("From (UTC)").FillAsync(fromUtc.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay time range" }).ClickAsync();
    }

    [GeneratedRegex(@"/dashboard/webhooks/\d+/replays/\d+$")]
    public static partial Regex ReplayUrl();
}
