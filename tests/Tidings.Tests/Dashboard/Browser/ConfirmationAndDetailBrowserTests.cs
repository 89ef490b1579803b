using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// The pages no other browser test reaches: a domain's page, the confirmations before removing a domain or deleting a
/// webhook, and a subprofile's page; each checked for accessibility and, when asked, photographed for the docs.
/// </summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class ConfirmationAndDetailBrowserTests(SharedChromium chromium, DashboardApp app)
{
    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_domain_its_removal_a_webhooks_deletion_and_a_subprofile_each_have_a_page_of_their_own()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var domainName = $"shop-{suffix}.example.com";
        var domain = await api.CreateAsync("/v3/domains", new { domain = domainName });
        var webhook = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://hooks.{domainName}/in"), new { trigger = "open" });
        var database = await api.CreateAsync("/v3/databases", new { name = $"Orders {suffix}" });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "email", type = "email", displayed = true });
        var orders = await api.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders" });
        await api.CreateAsync($"/v3/collection/{orders}/fields", new { name = "product", type = "text", displayed = true });
        var profile = await api.CreateProfileAsync(database, new { email = "anna@example.com" });
        var subprofile = await api.CreateAsync($"/v3/profile/{profile}/subprofiles/{orders}", new { product = "Rain jacket" });

        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.Editor));

        (await page.GotoAsync($"/dashboard/domains/{domain}"))!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = domainName, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Validate" }).First).ToBeVisibleAsync();
        await page.CheckPageAsync("domain");

        (await page.GotoAsync($"/dashboard/domains/{domain}/remove"))!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Remove {domainName}?" })).ToBeVisibleAsync();
        await page.CheckPageAsync("domain-remove");

        (await page.GotoAsync($"/dashboard/webhooks/{webhook}/delete"))!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Delete webhook {webhook}?" })).ToBeVisibleAsync();
        await page.CheckPageAsync("webhook-delete");

        (await page.GotoAsync($"/dashboard/subprofiles/{subprofile}"))!.Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Subprofile {subprofile}" })).ToBeVisibleAsync();
        (await page.ContentAsync()).ShouldContain("Rain jacket");
        await page.CheckPageAsync("subprofile");
    }
}
