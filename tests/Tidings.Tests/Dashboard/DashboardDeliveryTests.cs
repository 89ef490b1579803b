using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Dashboard.Pages;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The delivery pages of a webhook: test webhook, check now, an attempt with its body re-rendered from the journal and
/// a retry, replays with their progress, and the success rate on the list; each for the account's own webhooks only.
/// </summary>
public sealed class DashboardDeliveryTests(ShortRetryWindowApp app) : IClassFixture<ShortRetryWindowApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A signed-in user of a new account with a validated test domain, and a REST client of the same account.</summary>
    private async Task<(DashboardBrowser Browser, ApiClient Api, long Account)> SignedInAsync(string account, UserRole role = UserRole.Editor)
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, role, account);
        await app.ValidateTestDomainAsync(user.AccountId);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, api, user.AccountId);
    }

    /// <summary>A browser signed in as a new user of another role in the same account.</summary>
    private async Task<DashboardBrowser> AlsoSignedInAsync(long account, UserRole role)
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, role, accountId: account);
        var browser = DashboardBrowser.Open(app);
        ((int)(await browser.SignInAsync(user.Email, password)).StatusCode).ShouldBe(302);
        return browser;
    }

    private static async Task<IHtmlDocument> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, body);
        return DashboardBrowser.Parse(body);
    }

    private static Dictionary<string, string> Facts(IParentNode section) =>
        section.QuerySelectorAll("dt").ToDictionary(dt => dt.TextContent.Trim(), dt => dt.NextElementSibling!.TextContent.Trim());

    private static Dictionary<string, string> Headers(IDocument page, string table) =>
        page.QuerySelectorAll($"table.{table} tbody tr").ToDictionary(r => r.QuerySelector("th")!.TextContent.Trim(), r => r.QuerySelector("td")!.TextContent.Trim(), StringComparer.OrdinalIgnoreCase);

    private async Task<(long Database, long Webhook)> WebhookAsync(ApiClient api, Receiver receiver, object? extra = null)
    {
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var settings = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra ?? new { }))!.AsObject();
        settings["trigger"] = "create";
        settings["database"] = database;
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, settings);
        await EventTypeDeliveryTests.WaitUntilRunningAsync(api, webhook);
        return (database, webhook);
    }

    private static Task<JsonArray> AttemptsAsync(ApiClient api, long webhook, Func<JsonArray, bool> done) =>
        EventTypeDeliveryTests.WaitForAsync(async () => (await api.GetJsonAsync($"/v3/webhook/{webhook}/attempts"))["data"]!.AsArray(), done);

    // ---- Test webhook ----

    [Fact]
    public async Task The_test_form_is_prefilled_with_a_sample_of_the_chosen_type()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Sample");
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { triggers = new[] { "click", "open" } });

        var first = await browser.PageAsync($"/dashboard/webhooks/{webhook}/test");
        first.QuerySelector<IHtmlSelectElement>("#test-type")!.Value.ShouldBe("click", "the webhook's first trigger");
        JsonNode.Parse(first.QuerySelector("#test-data")!.TextContent)!["type"]!.GetValue<string>().ShouldBe("click");

        var open = await browser.PageAsync($"/dashboard/webhooks/{webhook}/test?type=open");
        var sample = JsonNode.Parse(open.QuerySelector("#test-data")!.TextContent)!;
        sample["type"]!.GetValue<string>().ShouldBe("open");
        sample["recipient"]!.GetValue<string>().ShouldBe("test@example.com");
        open.QuerySelector("legend")!.TextContent.ShouldContain("open");
        receiver.Calls.ShouldBeEmpty("loading a sample sends nothing");
    }

    [Fact]
    public async Task A_test_call_sends_the_edited_post_data_and_shows_the_whole_request_and_response()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.AnswerHeaders = _ => new Dictionary<string, string> { ["X-Receiver"] = "seen" };
        var (browser, api, _) = await SignedInAsync("Tester");
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open", signing = "both" });

        var page = await OkAsync(await browser.SubmitAsync($"/dashboard/webhooks/{webhook}/test", "Send test call",
            new Dictionary<string, string> { ["data"] = """{"type": "open", "id": "my-own-event", "tags": ["a", "b"]}""" }));

        var call = receiver.Calls.ShouldHaveSingleItem();
        call.Form["id"].ShouldBe("my-own-event");
        call.FormValues("tags[]").ShouldBe(["a", "b"]);
        page.QuerySelector(".request-line")!.TextContent.ShouldBe("POST " + receiver.Url);
        var sent = Headers(page, "request-headers");
        sent["Signature"].ShouldContain("rsa-sha256");
        sent["webhook-signature"].ShouldStartWith("v1,");
        sent["webhook-signature"].ShouldBe(call.Header("webhook-signature"));
        sent["Content-Type"].ShouldBe("application/x-www-form-urlencoded");
        page.QuerySelector(".request-body")!.TextContent.ShouldBe(call.Text);
        page.QuerySelector(".response-status")!.TextContent.ShouldBe("200");
        Headers(page, "response-headers")["X-Receiver"].ShouldBe("seen");
        page.QuerySelector(".response-body")!.TextContent.ShouldBe("ok");
        Facts(page.QuerySelector("section[aria-labelledby=response-title]")!)["Time"].ShouldMatch(@"^\d[\d,]* ms$");
        page.QuerySelector("#test-data")!.TextContent.ShouldContain("my-own-event", customMessage: "the post data stays in the form");
    }

    [Fact]
    public async Task Malformed_post_data_is_refused_next_to_the_field_keeps_the_text_and_sends_nothing()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Malformed");
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open" });

        foreach (var (data, error) in new[] { ("""{"type": "open", """, WebhookTestModel.NotJson), ("[1, 2]", WebhookTestModel.NotAnObject) })
        {
            var page = await OkAsync(await browser.SubmitAsync($"/dashboard/webhooks/{webhook}/test", "Send test call", new Dictionary<string, string> { ["data"] = data }));

            page.QuerySelector("#test-data-error")!.TextContent.ShouldStartWith(error);
            page.QuerySelector("#test-data")!.GetAttribute("aria-describedby")!.ShouldContain("test-data-error");
            page.QuerySelector("#test-data")!.TextContent.ShouldBe(data);
            page.QuerySelector("#request-title").ShouldBeNull();
        }

        receiver.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_type_is_refused_and_nothing_is_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Unknown type");
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open" });
        var token = (await browser.PageAsync($"/dashboard/webhooks/{webhook}/test")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;

        var page = await OkAsync(await browser.PostAsync($"/dashboard/webhooks/{webhook}/test",
            new Dictionary<string, string> { ["type"] = "teleport", ["data"] = "{}", ["__RequestVerificationToken"] = token }));
        page.QuerySelector("#test-type-error")!.TextContent.ShouldContain("Unknown webhook type 'teleport'");

        var get = await browser.PageAsync($"/dashboard/webhooks/{webhook}/test?type=teleport");
        get.QuerySelector("#test-type-error")!.TextContent.ShouldContain("teleport");
        receiver.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_test_call_to_a_handler_under_an_unvalidated_domain_says_why_it_was_not_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor, "Unvalidated");
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open" });

        var page = await OkAsync(await browser.SubmitAsync($"/dashboard/webhooks/{webhook}/test", "Send test call", new Dictionary<string, string>()));

        page.QuerySelector(".alert-error")!.TextContent.ShouldContain(DeliveryApp.Domain);
        receiver.Calls.ShouldBeEmpty();
    }

    // ---- Check now ----

    [Fact]
    public async Task Check_now_calls_every_webhook_of_the_account_and_shows_a_row_for_each()
    {
        await using var good = await Receiver.StartAsync();
        await using var bad = await Receiver.StartAsync();
        bad.Answer = _ => 503;
        var (browser, api, _) = await SignedInAsync("Checked");
        var ok = await DeliveryApp.CreateWebhookAsync(api, good.Url, new { trigger = "open" });
        var failing = await DeliveryApp.CreateWebhookAsync(api, bad.Url, new { trigger = "click" });
        var unvalidated = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/in"), new { trigger = "open" });
        var stranger = await app.NewAccountAsync("Other");
        await DeliveryApp.CreateWebhookAsync(stranger, new Uri("https://stranger.example.com/in"), new { trigger = "open" });

        var list = await browser.PageAsync("/dashboard/webhooks");
        list.QuerySelector(".page-head form button")!.TextContent.ShouldBe("Check now");
        var page = await OkAsync(await browser.SubmitAsync("/dashboard/webhooks", "Check now", new Dictionary<string, string>()));

        page.QuerySelector("#results-title")!.TextContent.ShouldBe("3 webhooks checked, 1 succeeded");
        var rows = page.QuerySelectorAll("table.checks tbody tr").ToDictionary(r => r.QuerySelector("a")!.TextContent, r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList());
        rows.Keys.ShouldBe([$"Webhook {ok}", $"Webhook {failing}", $"Webhook {unvalidated}"], ignoreOrder: true);
        rows[$"Webhook {ok}"][1].ShouldBe(good.Url.ToString());
        rows[$"Webhook {ok}"][3].ShouldBe("Success");
        rows[$"Webhook {ok}"][4].ShouldMatch(@"^\d[\d,]* ms$");
        rows[$"Webhook {failing}"][3].ShouldBe("Failed (HTTP 503)");
        rows[$"Webhook {unvalidated}"][3].ShouldBe("Not sent");
        rows[$"Webhook {unvalidated}"][5].ShouldNotBeEmpty();
        page.QuerySelector("main")!.TextContent.ShouldNotContain("stranger.example.com");
        good.Calls.Count.ShouldBe(1);
        bad.Calls.Count.ShouldBe(1);
    }

    // ---- Attempts ----

    [Fact]
    public async Task An_attempt_shows_what_was_stored_and_its_body_re_rendered_from_the_journal()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Attempt");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        var call = (await receiver.WaitAsync(c => c.Count == 1))[0];
        var attempt = (await AttemptsAsync(api, webhook, a => a.Count == 1))[0]!["ID"]!.GetValue<string>();

        var detail = await browser.PageAsync($"/dashboard/webhooks/{webhook}");
        var link = detail.QuerySelector("table.attempts tbody tr a")!;
        link.GetAttribute("href").ShouldBe($"/dashboard/webhooks/{webhook}/attempts/{attempt}");
        var page = await browser.PageAsync(link.GetAttribute("href")!);

        page.QuerySelector("h1")!.TextContent.ShouldBe($"Attempt {attempt}");
        var facts = Facts(page.QuerySelector("section[aria-labelledby=stored-title]")!);
        facts["Status"].ShouldBe("200");
        facts["Webhook-id sent"].ShouldBe(call.Header("webhook-id"));
        facts["Latency"].ShouldMatch(@"^\d[\d,]* ms$");
        facts["Remote address"].ShouldBe("127.0.0.1");
        facts["Response excerpt"].ShouldBe("ok");
        page.QuerySelector("#body-title")!.TextContent.ShouldContain("Re-rendered");
        page.QuerySelector(".rerendered-body")!.TextContent.ShouldBe(call.Text, "the same writer as the sender, from the same journal record");
    }

    [Fact]
    public async Task A_batch_attempt_stores_its_journal_records_and_its_body_is_the_batch_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Batch");
        var (database, webhook) = await WebhookAsync(api, receiver, new { batch_max_events = 10, batch_max_ms = 1500, max_concurrency = 1 });
        for (var i = 0; i < 3; i++) await api.CreateProfileAsync(database, new { email = $"p{i}@example.com" });
        var calls = await receiver.WaitAsync(c => c.Sum(x => x.Json.AsArray().Count) >= 3, seconds: 30);
        var batch = calls.First(c => c.Json.AsArray().Count > 1);
        var attempts = await AttemptsAsync(api, webhook, a => a.Count == calls.Count);
        var attempt = attempts.Single(a => a!["event"]!.GetValue<string>() == batch.Header("webhook-id"))!["ID"]!.GetValue<string>();

        var page = await browser.PageAsync($"/dashboard/webhooks/{webhook}/attempts/{attempt}");

        Facts(page.QuerySelector("section[aria-labelledby=stored-title]")!)["Events"].ShouldBe($"{batch.Json.AsArray().Count} (a batch)");
        page.QuerySelector(".rerendered-body")!.TextContent.ShouldBe(batch.Text);
    }

    [Fact]
    public async Task An_attempt_recorded_before_members_were_stored_says_its_body_cannot_be_written_again()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Old attempt");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        var attempt = (await AttemptsAsync(api, webhook, a => a.Count == 1))[0]!["ID"]!.GetValue<string>();
        await app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE webhook_attempts SET members = NULL WHERE webhook_id = @webhook", new { webhook }, w.Transaction), Ct);

        var page = await browser.PageAsync($"/dashboard/webhooks/{webhook}/attempts/{attempt}");

        page.QuerySelector(".render-problem")!.TextContent.ShouldBe(RenderedBody.NoMembers);
        page.QuerySelector(".rerendered-body").ShouldBeNull();
        Facts(page.QuerySelector("section[aria-labelledby=stored-title]")!)["Status"].ShouldBe("200");
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_from_its_attempt_and_leads_to_the_replay()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500;
        var (browser, api, account) = await SignedInAsync("Retry");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(async () => await api.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"), d => d["total"]!.GetValue<int>() == 1);
        var attempt = (await AttemptsAsync(api, webhook, a => a.Count >= 1))[0]!["ID"]!.GetValue<string>();
        var path = $"/dashboard/webhooks/{webhook}/attempts/{attempt}";

        var readOnly = await AlsoSignedInAsync(account, UserRole.ReadOnly);
        var seen = await readOnly.PageAsync(path);
        seen.QuerySelector<IHtmlButtonElement>("table.deliveries button")!.IsDisabled.ShouldBeTrue();
        seen.QuerySelector("section[aria-labelledby=deliveries-title] .hint")!.TextContent.ShouldContain("Read-only");

        receiver.Answer = _ => 200;
        var page = await browser.PageAsync(path);
        var row = page.QuerySelector("table.deliveries tbody tr")!;
        row.QuerySelector(".outcome")!.TextContent.ShouldBe("failed");
        var response = await browser.SubmitAsync(path, "Retry", new Dictionary<string, string>());

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var replayPath = response.Headers.Location!.OriginalString;
        replayPath.ShouldMatch($"^/dashboard/webhooks/{webhook}/replays/\\d+$");
        await receiver.WaitAsync(c => c.Any(x => x.AnsweredStatus == 200));
        var replay = await EventTypeDeliveryTests.WaitForAsync(() => browser.PageAsync(replayPath), p => p.QuerySelector(".replay-state")!.TextContent == "Finished");
        replay.QuerySelector<IHtmlProgressElement>("#replay-sent")!.Value.ShouldBe(100);
    }

    // ---- Replays ----

    [Fact]
    public async Task A_replay_of_one_event_is_started_listed_and_shows_its_progress()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Replay");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        var first = (await receiver.WaitAsync(c => c.Count == 1))[0];

        var response = await browser.SubmitAsync($"/dashboard/webhooks/{webhook}/replays", "Replay event", new Dictionary<string, string> { ["event"] = first.Header("webhook-id")! });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var path = response.Headers.Location!.OriginalString;
        await receiver.WaitAsync(c => c.Count == 2);
        var page = await EventTypeDeliveryTests.WaitForAsync(() => browser.PageAsync(path), p => p.QuerySelector(".replay-state")!.TextContent == "Finished");
        page.QuerySelector<IHtmlProgressElement>("#replay-scan")!.Value.ShouldBe(100);
        page.QuerySelector<IHtmlProgressElement>("#replay-sent")!.Value.ShouldBe(100);
        page.QuerySelector("#replay-sent-text")!.TextContent.ShouldContain("1 delivered");
        page.QuerySelector(".refresh-hint a")!.GetAttribute("href").ShouldBe(path);
        page.QuerySelector("script[src*='replay-progress.js']").ShouldNotBeNull();
        page.QuerySelector("[data-progress-url]")!.GetAttribute("data-progress-url").ShouldBe(path + "/progress");

        var progress = await browser.GetAsync(path + "/progress");
        progress.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var json = JsonNode.Parse(await progress.Content.ReadAsStringAsync(Ct))!;
        json["finished"]!.GetValue<bool>().ShouldBeTrue();
        json["delivered"]!.GetValue<long>().ShouldBe(1);
        json["sentPercent"]!.GetValue<int>().ShouldBe(100);
        (await browser.GetAsync(path + "/elsewhere")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var list = await browser.PageAsync($"/dashboard/webhooks/{webhook}/replays");
        var row = list.QuerySelector("table.replays tbody tr")!;
        row.QuerySelector("a")!.GetAttribute("href").ShouldBe(path);
        row.QuerySelectorAll("td")[2].TextContent.ShouldBe("one event");
    }

    [Fact]
    public async Task A_time_range_replay_sends_the_ranges_events_and_bad_times_are_refused_next_to_their_field()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, api, _) = await SignedInAsync("Range");
        var (database, webhook) = await WebhookAsync(api, receiver);
        for (var i = 0; i < 2; i++) await api.CreateProfileAsync(database, new { email = $"p{i}@example.com" });
        await receiver.WaitAsync(c => c.Count == 2);
        var path = $"/dashboard/webhooks/{webhook}/replays";

        var missing = await OkAsync(await browser.SubmitAsync(path, "Replay time range", new Dictionary<string, string> { ["from"] = "", ["to"] = "" }));
        missing.QuerySelector("#replay-from-error")!.TextContent.ShouldContain("starts");
        var bad = await OkAsync(await browser.SubmitAsync(path, "Replay time range", new Dictionary<string, string> { ["from"] = "2026-01-01T00:00", ["to"] = "yesterday" }));
        bad.QuerySelector("#replay-to-error")!.TextContent.ShouldContain("ends");
        bad.QuerySelector<IHtmlInputElement>("#replay-to")!.Value.ShouldBe("yesterday", "what was typed stays");
        var backwards = await OkAsync(await browser.SubmitAsync(path, "Replay time range", new Dictionary<string, string> { ["from"] = "2026-01-02T00:00", ["to"] = "2026-01-01T00:00" }));
        backwards.QuerySelector("#replay-to-error")!.TextContent.ShouldContain("before its start");
        var unknown = await OkAsync(await browser.SubmitAsync(path, "Replay event", new Dictionary<string, string> { ["event"] = "no-such-event" }));
        unknown.QuerySelector("#replay-event-error")!.TextContent.ShouldBe("No event with supplied ID.");
        receiver.Calls.Count.ShouldBe(2);

        var from = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var response = await browser.SubmitAsync(path, "Replay time range", new Dictionary<string, string> { ["from"] = from, ["to"] = "" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await receiver.WaitAsync(c => c.Count == 4);
        var page = await EventTypeDeliveryTests.WaitForAsync(() => browser.PageAsync(response.Headers.Location!.OriginalString), p => p.QuerySelector(".replay-state")!.TextContent == "Finished");
        page.QuerySelector("#replay-sent-text")!.TextContent.ShouldContain("2 delivered");
    }

    [Fact]
    public async Task Failed_deliveries_are_replayed_from_the_replays_page()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500;
        var (browser, api, _) = await SignedInAsync("Failed replay");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(async () => await api.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"), d => d["total"]!.GetValue<int>() == 1);
        receiver.Answer = _ => 200;

        var response = await browser.SubmitAsync($"/dashboard/webhooks/{webhook}/replays", "Replay failed deliveries", new Dictionary<string, string>());

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await EventTypeDeliveryTests.WaitForAsync(() => browser.PageAsync(response.Headers.Location!.OriginalString), p => p.QuerySelector(".replay-state")!.TextContent == "Finished");
        page.QuerySelector("#replay-sent-text")!.TextContent.ShouldContain("1 delivered");
        page.QuerySelector(".facts dd")!.TextContent.ShouldBe("failed deliveries");
    }

    // ---- Success rate ----

    [Fact]
    public async Task The_list_shows_each_webhooks_success_rate_from_its_attempts()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n == 1 ? 500 : 200; // the first call fails, its retry and the rest succeed
        var (browser, api, _) = await SignedInAsync("Rate");
        var (database, webhook) = await WebhookAsync(api, receiver);
        await api.CreateProfileAsync(database, new { email = "ann@example.com" });
        await AttemptsAsync(api, webhook, a => a.Count == 2 && a.All(x => x!["status"] is not null));
        await api.CreateProfileAsync(database, new { email = "bob@example.com" });
        await AttemptsAsync(api, webhook, a => a.Count == 3);
        await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/quiet"), new { trigger = "open" });

        var page = await browser.PageAsync("/dashboard/webhooks");

        var rates = page.QuerySelectorAll("table.webhooks tbody tr").ToDictionary(r => r.QuerySelector(".handler")!.TextContent, r => r.QuerySelector(".success-rate")!);
        rates[receiver.Url.ToString()].QuerySelector("span")!.TextContent.ShouldBe("66.6 %", "2 of 3 calls answered 2xx");
        rates[receiver.Url.ToString()].QuerySelector(".state-detail")!.TextContent.ShouldBe("of 3 calls");
        rates["https://hooks.example.com/quiet"].TextContent.Trim().ShouldBe("no calls");

        // The failed call slips out of the window: it no longer counts.
        var dayAgo = DateTimeOffset.UtcNow.Subtract(WebhookDeliveryService.SuccessRateWindow).AddMinutes(-1).ToUnixTimeMilliseconds();
        await app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE webhook_attempts SET attempted = @dayAgo WHERE webhook_id = @webhook AND status = 500", new { dayAgo, webhook }, w.Transaction), Ct);
        var later = (await browser.PageAsync("/dashboard/webhooks")).QuerySelectorAll("table.webhooks tbody tr")
            .Single(r => r.QuerySelector(".handler")!.TextContent == receiver.Url.ToString()).QuerySelector(".success-rate")!;
        later.QuerySelector("span")!.TextContent.ShouldBe("100 %");
        later.QuerySelector(".state-detail")!.TextContent.ShouldBe("of 2 calls");
    }

    [Fact]
    public void A_success_rate_is_rounded_down_so_that_a_failure_never_shows_as_100_percent()
    {
        Tidings.Dashboard.WebhookRow.Percent(99.96).ShouldBe("99.9 %");
        Tidings.Dashboard.WebhookRow.Percent(100).ShouldBe("100 %");
        Tidings.Dashboard.WebhookRow.Percent(200.0 / 3).ShouldBe("66.6 %");
        Tidings.Dashboard.WebhookRow.Percent(50).ShouldBe("50 %");
    }

    // ---- Scope and roles ----

    [Fact]
    public async Task Another_accounts_webhook_attempt_or_replay_is_not_found_on_every_delivery_page()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, myApi, _) = await SignedInAsync("Mine");
        var (_, theirApi, _) = await SignedInAsync("Theirs");
        var (database, theirs) = await WebhookAsync(theirApi, receiver);
        await theirApi.CreateProfileAsync(database, new { email = "ann@example.com" });
        var call = (await receiver.WaitAsync(c => c.Count == 1))[0];
        var attempt = (await AttemptsAsync(theirApi, theirs, a => a.Count == 1))[0]!["ID"]!.GetValue<string>();
        var replay = await theirApi.CreateAsync($"/v3/webhook/{theirs}/replay", new { @event = call.Header("webhook-id") });

        foreach (var path in new[]
        {
            $"/dashboard/webhooks/{theirs}/test", $"/dashboard/webhooks/{theirs}/attempts/{attempt}", $"/dashboard/webhooks/{theirs}/replays",
            $"/dashboard/webhooks/{theirs}/replays/{replay}", $"/dashboard/webhooks/{theirs}/replays/{replay}/progress", "/dashboard/webhooks/999999999/test",
        })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain(DeliveryApp.ReceiverHost, customMessage: path);
        }

        // Their attempt and replay under a webhook of mine are not found either.
        var mine = await DeliveryApp.CreateWebhookAsync(myApi, new Uri("https://hooks.example.com/mine"), new { trigger = "open" });
        (await browser.GetAsync($"/dashboard/webhooks/{mine}/attempts/{attempt}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync($"/dashboard/webhooks/{mine}/replays/{replay}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var token = (await browser.PageAsync($"/dashboard/webhooks/{mine}/replays")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        (await browser.PostAsync($"/dashboard/webhooks/{theirs}/replays?handler=failed", new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.PostAsync($"/dashboard/webhooks/{theirs}/test", new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        receiver.Calls.ShouldNotContain(c => c.Header("webhook-id")!.StartsWith("test_", StringComparison.Ordinal), "no test call went out");
    }

    [Fact]
    public async Task A_read_only_user_sees_the_delivery_forms_disabled_and_their_posts_are_refused()
    {
        await using var receiver = await Receiver.StartAsync();
        var (_, api, account) = await SignedInAsync("Read-only");
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "open" });
        var browser = await AlsoSignedInAsync(account, UserRole.ReadOnly);

        var test = await browser.PageAsync($"/dashboard/webhooks/{webhook}/test");
        test.QuerySelector<IHtmlFieldSetElement>("form[method=post] fieldset")!.IsDisabled.ShouldBeTrue();
        test.QuerySelector("form[method=post] .readonly-note")!.TextContent.ShouldContain("Read-only users cannot send test calls");
        JsonNode.Parse(test.QuerySelector("#test-data")!.TextContent)!["type"]!.GetValue<string>().ShouldBe("open", "they still see the sample");
        var replays = await browser.PageAsync($"/dashboard/webhooks/{webhook}/replays");
        replays.QuerySelectorAll<IHtmlFieldSetElement>("fieldset").ShouldAllBe(f => f.IsDisabled);
        var check = await browser.PageAsync("/dashboard/webhooks/check");
        check.QuerySelector<IHtmlFieldSetElement>("fieldset")!.IsDisabled.ShouldBeTrue();
        (await browser.PageAsync("/dashboard/webhooks")).QuerySelector(".page-head form").ShouldBeNull("no form they cannot send");

        var token = test.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        foreach (var path in new[] { $"/dashboard/webhooks/{webhook}/test", "/dashboard/webhooks/check", $"/dashboard/webhooks/{webhook}/replays?handler=failed" })
        {
            (await browser.PostAsync(path, new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["data"] = "{}" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        receiver.Calls.ShouldBeEmpty();
    }
}
