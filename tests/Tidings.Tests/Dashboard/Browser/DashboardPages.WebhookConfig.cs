using Microsoft.Playwright;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>How a person fills in the webhook and domain configuration pages, by their labels and button names.</summary>
internal static partial class DashboardPages
{
    /// <summary>Fills in the webhook form: the callback URL, the ticked triggers, format and two limits.</summary>
    public static async Task FillWebhookFormAsync(this IPage page, string handler, IReadOnlyList<string> triggers, string format, int maxPerSecond, bool ordered)
    {
        await page.GetByLabel("Callback URL").FillAsync(handler);
        foreach (var box in await page.GetByRole(AriaRole.Group, new() { Name = "Triggers" }).GetByRole(AriaRole.Checkbox).AllAsync())
        {
            var value = await box.GetAttributeAsync("value");
            await box.SetCheckedAsync(triggers.Contains(value!));
        }

        await page.GetByLabel("Body format").SelectOptionAsync(format);
        await page.GetByLabel("Calls per second").FillAsync(maxPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Ordered: one profile's events one at a time, in journal order").SetCheckedAsync(ordered);
    }

    /// <summary>Whether the page's main part has any form (a read-only user's pages have none).</summary>
    public static Task<int> MainFormCountAsync(this IPage page) => page.Locator("main form").CountAsync();
}
