using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The webhook and log file pages in chromium: what the account has, and a log file downloaded as a browser does.</summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class WebhookAndLogFileBrowserTests(SharedChromium chromium, DashboardApp app)
{
    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_webhooks_page_lists_the_accounts_webhook_and_opens_its_detail()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var handler = $"https://hooks-{Guid.NewGuid().ToString("N")[..8]}.example.com/in";
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri(handler), new { triggers = new[] { "open", "click" } });
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        (await page.GotoAsync("/dashboard/webhooks"))!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Webhook {id}: {handler}" })).ToBeVisibleAsync();
        await page.CheckPageAsync("webhooks");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Webhook {id}: {handler}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/webhooks/{id}$"));
        (await page.ContentAsync()).ShouldContain(handler);
        await page.CheckPageAsync("webhook-detail");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_log_file_downloaded_in_the_browser_has_the_bytes_of_the_rest_download()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        await MailingScenario.CreateAsync(api, profiles: 2); // sending it writes today's attempts file
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        (await page.GotoAsync("/dashboard/logfiles"))!.Status.ShouldBe(200);
        var csv = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^cdm-attempts\.\d{4}-\d{2}-\d{2}\.log as CSV$") }).First;
        await Expect(csv).ToBeVisibleAsync();
        await page.CheckPageAsync("logfiles");

        var href = (await csv.GetAttributeAsync("href"))!;
        var name = href.Split('/')[^2];
        var download = await page.RunAndWaitForDownloadAsync(() => csv.ClickAsync());
        var downloaded = await File.ReadAllBytesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);

        var rest = await api.GetAsync($"/v3/logfile/{name}/csv");
        rest.IsSuccessStatusCode.ShouldBeTrue();
        var expected = await rest.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        downloaded.ShouldBe(expected);
        downloaded.Length.ShouldBeGreaterThan(0);
    }
}
