using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Domains;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// Configuring webhooks in chromium: a webhook created with the form, its domain validated by a verification file on a
/// local test site, edited, its secret rotated; another account's webhook not found; a read-only user changes nothing.
/// </summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class WebhookConfigBrowserTests(SharedChromium chromium, DashboardApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_webhook_created_with_the_form_has_its_domain_validated_against_a_local_site()
    {
        await using var site = await TestFileServer.StartAsync();
        var port = new Uri(site.BaseUrl).Port;
        var handler = $"http://{DashboardApp.LocalSiteHost}:{port}/callbacks/in";
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.Editor));

        await page.GotoAsync("/dashboard/webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/webhooks/new$"));
        await page.FillWebhookFormAsync(handler, ["open", "click"], "json", 25, ordered: true);
        await page.CheckPageAsync("webhook-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/dashboard/webhooks/\d+$"));
        var id = page.Url.Split('/')[^1];
        var webhook = await app.Services.GetRequiredService<WebhookService>().GetAsync(app.AccountId, id, Ct);
        (webhook.Webhook.Handler, webhook.Webhook.Format, webhook.Webhook.MaxPerSecond, webhook.Webhook.Ordered).ShouldBe((handler, "json", 25L, true));
        webhook.Webhook.TriggerList.ShouldBe(["click", "open"], ignoreOrder: true);
        webhook.Validated.ShouldBeFalse();
        await Expect(page.Locator("#state-title + p .state")).ToHaveTextAsync("Awaiting domain validation");

        await page.GetByRole(AriaRole.Link, new() { Name = "Validation (needed)" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Domain", Exact = true })).ToHaveValueAsync(DashboardApp.LocalSiteHost);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Domain", Exact = true }).FillAsync(DashboardApp.LocalSiteDomain);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Prove you own " + DashboardApp.LocalSiteDomain })).ToBeVisibleAsync();
        var domain = (await app.Services.GetRequiredService<DomainService>().ListAsync(app.AccountId, 0, 100, Ct)).Items.Single(d => d.Domain == DashboardApp.LocalSiteDomain);
        await Expect(page.Locator("dd", new() { HasText = domain.FileContent }).First).ToBeVisibleAsync();

        // Checked before the file is there: the page says where it looked and what it found.
        await page.GetByLabel("Check").SelectOptionAsync("file");
        await page.GetByRole(AriaRole.Button, new() { Name = "Validate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"http://{DashboardApp.LocalSiteHost}:{port}/callbacks/{domain.FileName}: HTTP 404");
        await page.CheckPageAsync("webhook-validation");

        site.Files[$"/callbacks/{domain.FileName}"] = domain.FileContent;
        await page.GetByLabel("Check").SelectOptionAsync("file");
        await page.GetByRole(AriaRole.Button, new() { Name = "Validate" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Validated");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("has been validated");
        await page.CheckPageAsync("webhook-validated");
        (await app.Services.GetRequiredService<WebhookService>().GetAsync(app.AccountId, id, Ct)).Validated.ShouldBeTrue();

        await page.GotoAsync("/dashboard/domains");
        await Expect(page.GetByRole(AriaRole.Row, new() { NameRegex = new Regex(Regex.Escape(DashboardApp.LocalSiteDomain) + ".*Validated") })).ToBeVisibleAsync();
        await page.CheckPageAsync("domains");

        await page.GotoAsync($"/dashboard/webhooks/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByLabel("Callback URL")).ToHaveValueAsync(handler);
        await page.GetByLabel("Signing").SelectOptionAsync("standard");
        await page.CheckPageAsync("webhook-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/webhooks/{id}$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Secrets" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Expect(page.Locator(".secret code")).ToHaveTextAsync(new Regex("^whsec_"));
        await page.CheckPageAsync("webhook-secrets");

        await page.GotoAsync("/dashboard/webhooks/signing-keys");
        await Expect(page.Locator("h2 .state").First).ToHaveTextAsync("Signing");
        await page.CheckPageAsync("signing-keys");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Another_accounts_webhook_is_not_found_on_any_configuration_page()
    {
        var stranger = await app.NewAccountAsync("Stranger");
        var theirs = await DeliveryApp.CreateWebhookAsync(stranger, new Uri("https://stranger.example.com/in"), new { trigger = "open" });
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.Admin));

        foreach (var suffix in new[] { "", "/edit", "/delete", "/validation", "/secrets" })
        {
            var response = await page.GotoAsync($"/dashboard/webhooks/{theirs}{suffix}");
            response!.Status.ShouldBe(404, suffix);
            (await page.ContentAsync()).ShouldNotContain("stranger.example.com");
        }

        await page.CheckPageAsync("webhook-not-found");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_read_only_user_sees_no_change_forms_and_a_forged_post_is_refused()
    {
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://ro-{Guid.NewGuid().ToString("N")[..8]}.example.com/in"), new { trigger = "open" });
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        foreach (var path in new[] { $"/dashboard/webhooks/{id}", $"/dashboard/webhooks/{id}/validation", $"/dashboard/webhooks/{id}/secrets", "/dashboard/domains", "/dashboard/webhooks" })
        {
            (await page.GotoAsync(path))!.Status.ShouldBe(200, path);
            (await page.MainFormCountAsync()).ShouldBe(0, path);
            await page.ShouldBeAccessibleAsync();
        }

        (await page.GotoAsync($"/dashboard/webhooks/{id}/edit"))!.Status.ShouldBe(403);
        await page.GotoAsync($"/dashboard/webhooks/{id}");
        var answer = await context.APIRequest.PostAsync($"/dashboard/webhooks/{id}/switch", new()
        {
            Form = context.APIRequest.CreateFormData()
                .Set("__RequestVerificationToken", await page.AntiforgeryTokenAsync())
                .Set("enabled", "false"),
            MaxRedirects = 0,
        });
        answer.Status.ShouldBe(403);
        (await app.Services.GetRequiredService<WebhookService>().RequireAsync(app.AccountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)).Enabled.ShouldBeTrue();
    }
}
