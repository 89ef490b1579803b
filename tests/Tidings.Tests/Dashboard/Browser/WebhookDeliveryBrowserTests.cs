using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// The delivery pages in chromium against receivers on 127.0.0.1: a test call with the user's own post data and the
/// receiver's answer on the page, check now with a row per webhook, and a replay whose progress bars reach 100 % by
/// themselves (the page's script), with the attempt page on the way.
/// </summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class WebhookDeliveryBrowserTests(SharedChromium chromium, DashboardApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An editor's page, signed in, and a REST client of the app's account, whose test domain is validated.</summary>
    private async Task<(IBrowserContext Context, IPage Page, ApiClient Api)> EditorAsync()
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        await storage.WriteAsync(async w =>
        {
            var known = await w.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM validated_domains WHERE account_id = @accountId AND domain = @domain", new { accountId = app.AccountId, domain = DeliveryApp.Domain }, w.Transaction);
            if (known == 0) await w.Connection.ExecuteAsync(DeliveryApp.ValidatedDomainSql, new { accountId = app.AccountId, domain = DeliveryApp.Domain }, w.Transaction);
            return known;
        }, Ct);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);
        var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.Editor));
        return (context, page, api);
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_test_call_with_custom_post_data_reaches_the_receiver_and_its_answer_is_shown()
    {
        await using var receiver = await Receiver.StartAsync();
        var mark = "seen-" + Guid.NewGuid().ToString("N")[..8];
        receiver.AnswerHeaders = _ => new Dictionary<string, string> { ["X-Receiver"] = mark };
        var (context, page, api) = await EditorAsync();
        await using var _ = context;
        var id = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { triggers = new[] { "open", "click" }, signing = "both" });

        (await page.GotoAsync($"/dashboard/webhooks/{id}/test"))!.Status.ShouldBe(200);
        await Expect(page.GetByLabel(DashboardPages.FieldsAsJson())).ToHaveValueAsync(new Regex("\"type\": \"open\""));
        await page.GetByLabel("Event type").SelectOptionAsync("click");
        await page.GetByRole(AriaRole.Button, new() { Name = "Load sample" }).ClickAsync();
        await Expect(page.GetByLabel(DashboardPages.FieldsAsJson())).ToHaveValueAsync(new Regex("\"type\": \"click\""));
        await page.SendTestCallAsync("""{"type": "click", "id": "from-the-browser", "url": "https://example.com/clicked"}""");

        var call = (await receiver.WaitAsync(c => c.Count == 1))[0];
        call.Form["id"].ShouldBe("from-the-browser");
        await Expect(page.Locator(".response-status")).ToHaveTextAsync("200");
        await Expect(page.Locator("table.response-headers")).ToContainTextAsync(mark);
        await Expect(page.Locator(".response-body")).ToHaveTextAsync("ok");
        await Expect(page.Locator("table.request-headers")).ToContainTextAsync(call.Header("webhook-signature")!);
        await Expect(page.Locator(".request-body")).ToHaveTextAsync(call.Text);
        await page.CheckPageAsync("webhook-test");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Check_now_shows_a_result_row_for_every_webhook_of_the_account()
    {
        await using var receiver = await Receiver.StartAsync();
        var (context, page, api) = await EditorAsync();
        await using var _ = context;
        var id = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open" });
        var total = (await api.GetJsonAsync("/v3/webhooks?limit=1000"))["total"]!.GetValue<int>();

        await page.GotoAsync("/dashboard/webhooks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/webhooks/check$"));
        await Expect(page.Locator("table.checks tbody tr")).ToHaveCountAsync(total);
        var row = page.Locator("table.checks tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = $"Webhook {id}", Exact = true }) });
        await Expect(row.Locator(".outcome")).ToHaveTextAsync("Success");
        receiver.Calls.Count.ShouldBe(1);
        await page.CheckPageAsync("webhook-check");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_replay_of_a_time_range_shows_its_progress_bars_reaching_100_percent_without_a_reload()
    {
        await using var receiver = await Receiver.StartAsync();
        var (context, page, api) = await EditorAsync();
        await using var _ = context;
        var database = await api.CreateDatabaseAsync("Replayed " + Guid.NewGuid().ToString("N")[..6], ("email", "email"));
        // Two calls a second: the replay of six events takes a few seconds, long enough to watch it move.
        var id = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "create", database, format = "json", max_per_second = 2 });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(api, id);
        var started = DateTime.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 6; i++) await api.CreateProfileAsync(database, new { email = $"p{i}@example.com" });
        await receiver.WaitAsync(c => c.Count == 6, seconds: 30);

        await page.GotoAsync($"/dashboard/webhooks/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Attempt", Exact = false }).First.ClickAsync();
        await Expect(page.Locator("#body-title")).ToContainTextAsync("Re-rendered");
        await Expect(page.Locator(".rerendered-body")).ToContainTextAsync("p");
        await page.CheckPageAsync("webhook-attempt");

        await page.GotoAsync($"/dashboard/webhooks/{id}/replays");
        await page.StartRangeReplayAsync(started);
        await Expect(page).ToHaveURLAsync(DashboardPages.ReplayUrl());
        var replayUrl = page.Url;

        await Expect(page.Locator("#replay-sent")).ToHaveJSPropertyAsync("value", 100, new() { Timeout = 30_000 });
        await Expect(page.Locator("#replay-scan")).ToHaveJSPropertyAsync("value", 100);
        await Expect(page.Locator(".replay-state")).ToHaveTextAsync("Finished");
        await Expect(page.Locator("#replay-sent-text")).ToContainTextAsync("6 delivered");
        page.Url.ShouldBe(replayUrl, "the bars moved without leaving the page");
        (await receiver.WaitAsync(c => c.Count == 12, seconds: 30)).Count.ShouldBe(12);
        await page.CheckPageAsync("webhook-replay");

        await page.GetByRole(AriaRole.Link, new() { Name = "Replays", Exact = true }).ClickAsync();
        await Expect(page.Locator("table.replays tbody tr")).ToHaveCountAsync(1);
        await page.CheckPageAsync("webhook-replays");
    }
}
