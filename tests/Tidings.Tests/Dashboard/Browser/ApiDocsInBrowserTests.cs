using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The shared browser works: the API docs page, served by Tidings itself, loads in chromium.</summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class ApiDocsInBrowserTests(SharedChromium chromium, DashboardApp app)
{
    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_api_docs_load_in_chromium()
    {
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/docs");

        response!.Status.ShouldBe(200);
        (await page.TitleAsync()).ShouldNotBeNullOrWhiteSpace();
    }
}
