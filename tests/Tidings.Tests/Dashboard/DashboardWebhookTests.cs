using System.Net;
using AngleSharp.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>The webhook list and detail pages: what the webhook and delivery services hold for the account, and nothing of another.</summary>
public sealed class DashboardWebhookTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A signed-in editor of a new account with a validated test domain, and a REST client of the same account.</summary>
    private async Task<(DashboardBrowser Browser, ApiClient Api)> SignedInAsync(string account)
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor, account);
        await app.ValidateTestDomainAsync(user.AccountId);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, api);
    }

    private static Dictionary<string, IElement> RowsByHandler(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("table.webhooks tbody tr").ToDictionary(r => r.QuerySelector(".handler")!.TextContent, r => (IElement)r);

    private static List<string> Cells(IElement row) => row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();

    [Fact]
    public async Task The_list_shows_each_webhook_of_the_account_with_its_scope_and_state_and_none_of_another()
    {
        var (browser, api) = await SignedInAsync("Hooks");
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var enabled = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/enabled"), new { trigger = "create", database });
        await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/in"), new { trigger = "open" });
        var disabled = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/disabled"), new { triggers = new[] { "click", "open" } });
        await app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE webhooks SET enabled = @enabled, disabled_reason = @reason WHERE id = @disabled", new { enabled = 0L, reason = "Calls failed for 3 days", disabled }, w.Transaction), Ct);
        var stranger = await app.NewAccountAsync("Stranger");
        await DeliveryApp.CreateWebhookAsync(stranger, new Uri("https://stranger.example.com/in"), new { trigger = "open" });

        var page = await browser.PageAsync("/dashboard/webhooks");

        page.QuerySelector("#list-title")!.TextContent.ShouldBe("3 webhooks");
        var rows = RowsByHandler(page);
        rows.Keys.ShouldBe([$"https://{DeliveryApp.ReceiverHost}/enabled", "https://hooks.example.com/in", $"https://{DeliveryApp.ReceiverHost}/disabled"], ignoreOrder: true);
        page.QuerySelector("main")!.TextContent.ShouldNotContain("stranger.example.com");

        var on = rows[$"https://{DeliveryApp.ReceiverHost}/enabled"];
        on.QuerySelector(".handler strong")!.TextContent.ShouldBe(DeliveryApp.ReceiverHost, "the host is emphasised");
        on.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/webhooks/{enabled}");
        Cells(on)[1].ShouldBe("create");
        Cells(on)[2].ShouldBe("database People");
        on.QuerySelector(".state")!.TextContent.ShouldBe("Enabled");
        on.QuerySelector(".state")!.ClassList.ShouldContain("state-ok");
        Cells(on)[4].ShouldBe("never called");

        var waiting = rows["https://hooks.example.com/in"];
        Cells(waiting)[2].ShouldBe("account");
        waiting.QuerySelector(".state")!.TextContent.ShouldBe("Awaiting domain validation");
        waiting.QuerySelector(".state")!.ClassList.ShouldContain("state-warn");
        waiting.QuerySelector(".state-detail")!.TextContent.ShouldBe(WebhookServiceTests.NotUnderAValidatedDomain);

        var off = rows[$"https://{DeliveryApp.ReceiverHost}/disabled"];
        Cells(off)[1].ShouldBe("click, open");
        off.QuerySelector(".state")!.TextContent.ShouldBe("Disabled");
        off.QuerySelector(".state")!.ClassList.ShouldContain("state-off");
        off.QuerySelector(".state-detail")!.TextContent.ShouldBe("Calls failed for 3 days");
        page.QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.TextContent).ShouldContain("Webhooks");
    }

    [Fact]
    public async Task The_list_pages_by_fifty_and_the_next_page_shows_the_rest()
    {
        var (browser, api) = await SignedInAsync("Many hooks");
        for (var i = 0; i < 51; i++) await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://hooks.example.com/in/{i}"), new { trigger = "open" });

        var first = await browser.PageAsync("/dashboard/webhooks");
        RowsByHandler(first).Count.ShouldBe(50);
        first.QuerySelector("a[rel=next]")!.GetAttribute("href").ShouldBe("/dashboard/webhooks?page=2");

        var second = await browser.PageAsync("/dashboard/webhooks?page=2");
        RowsByHandler(second).Keys.ShouldHaveSingleItem().ShouldNotBeNull();
        RowsByHandler(first).Keys.ShouldNotContain(RowsByHandler(second).Keys.Single(), "the second page goes on where the first stopped");
        second.QuerySelector("a[rel=prev]")!.GetAttribute("href").ShouldBe("/dashboard/webhooks?page=1");
        second.QuerySelector("a[rel=next]").ShouldBeNull();
    }

    [Fact]
    public async Task An_account_without_webhooks_is_told_how_to_create_one()
    {
        var (browser, _) = await SignedInAsync("Empty");

        var page = await browser.PageAsync("/dashboard/webhooks");

        page.QuerySelector("#empty-title")!.TextContent.ShouldBe("No webhooks yet");
        page.QuerySelector("pre")!.TextContent.ShouldContain("POST /v3/webhooks");
        page.QuerySelector("table").ShouldBeNull();
    }

    [Fact]
    public async Task The_detail_page_shows_the_settings_and_the_attempts_the_delivery_service_logged()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api) = await SignedInAsync("Delivered");
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "create", database, format = "json", max_per_second = 20 });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(api, webhook);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(async () => (await api.GetJsonAsync($"/v3/webhook/{webhook}/attempts"))["data"]!.AsArray(), a => a.Count >= 1);

        var page = await browser.PageAsync($"/dashboard/webhooks/{webhook}");

        page.QuerySelector("h1")!.TextContent.ShouldBe($"Webhook {webhook}");
        var facts = page.QuerySelectorAll("section[aria-labelledby=settings-title] dt")
            .ToDictionary(dt => dt.TextContent, dt => dt.NextElementSibling!.TextContent.Trim());
        facts["Handler"].ShouldBe(receiver.Url.ToString());
        facts["Triggers"].ShouldBe("create");
        facts["Scope"].ShouldBe("database People");
        facts["Format"].ShouldBe("json");
        facts["Rate"].ShouldBe("at most 20 calls per second");
        page.QuerySelector(".state")!.TextContent.ShouldBe("Enabled");
        var attempt = Cells(page.QuerySelector("table.attempts tbody tr")!);
        attempt[2].ShouldBe("1");
        attempt[3].ShouldBe("200");
        attempt[4].ShouldMatch(@"^\d[\d,]* ms$");
        attempt[6].ShouldBe("ok", "the response excerpt");
        page.QuerySelector("table.attempts time")!.GetAttribute("title")!.ShouldMatch(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$");

        var list = await browser.PageAsync("/dashboard/webhooks");
        var row = RowsByHandler(list)[receiver.Url.ToString()];
        row.QuerySelector(".outcome")!.TextContent.ShouldBe("Delivered (200)");
        row.QuerySelector("time")!.TextContent.ShouldMatch("just now|minutes? ago");
    }

    [Fact]
    public async Task A_webhook_of_another_account_is_not_found()
    {
        var (browser, _) = await SignedInAsync("Mine");
        var stranger = await app.NewAccountAsync("Theirs");
        var theirs = await DeliveryApp.CreateWebhookAsync(stranger, new Uri("https://stranger.example.com/in"), new { trigger = "open" });

        foreach (var path in new[] { $"/dashboard/webhooks/{theirs}", "/dashboard/webhooks/999999999", "/dashboard/webhooks/abc" })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            var body = await response.Content.ReadAsStringAsync(Ct);
            DashboardBrowser.Parse(body).QuerySelector("h1")!.TextContent.ShouldBe("Not found", path);
            body.ShouldNotContain("stranger.example.com");
        }
    }
}
