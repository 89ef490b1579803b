using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Audit;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using Tidings.Webhooks.Configuration;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The webhook forms: create and edit through <see cref="WebhookService"/>, enable/disable, delete, with the service's
/// rejections shown next to their field and the values kept; read-only users refused; another account's webhook not found.
/// </summary>
public sealed class DashboardWebhookFormTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DashboardBrowser Browser, User User, ApiClient Api)> SignedInAsync(UserRole role = UserRole.Editor)
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, role, "Forms");
        await app.ValidateTestDomainAsync(user.AccountId);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, user, api);
    }

    /// <summary>The antiforgery token of a form on <paramref name="path"/> (every form of a sign-in shares it).</summary>
    internal static async Task<string> TokenAsync(DashboardBrowser browser, string path = "/dashboard/webhooks") =>
        (await browser.PageAsync(path)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

    /// <summary>Posts fields as a browser sends a form (a key may repeat, as ticked checkboxes do), with a valid token.</summary>
    internal static async Task<HttpResponseMessage> PostFormAsync(DashboardBrowser browser, string path, IEnumerable<(string, string)> fields, string? tokenFrom = null)
    {
        var token = await TokenAsync(browser, tokenFrom ?? "/dashboard/webhooks");
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Append(new("__RequestVerificationToken", token));
        return await browser.Http.PostAsync(path, new FormUrlEncodedContent(values), Ct);
    }

    private static List<(string, string)> Fields(string handler, params string[] triggers)
    {
        var fields = new List<(string, string)>
        {
            ("handler", handler), ("callers", "ms"), ("scope", ""), ("format", "json"), ("signing", "standard"),
            ("max_concurrency", "2"), ("max_per_second", "30"), ("batch_max_events", "10"), ("batch_max_ms", "500"), ("ordered", "true"),
            ("trace_context", "true"),
        };
        fields.AddRange(triggers.Select(t => ("triggers", t)));
        return fields;
    }

    private Task<WebhookRecord> WebhookAsync(long accountId, long id) =>
        app.Services.GetRequiredService<WebhookService>().RequireAsync(accountId, id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

    private static long CreatedId(HttpResponseMessage response)
    {
        ((int)response.StatusCode).ShouldBe(302);
        var location = response.Headers.Location!.ToString();
        location.ShouldMatch(@"^/dashboard/webhooks/\d+$");
        return long.Parse(location.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_new_webhook_form_offers_every_setting_and_the_accounts_databases_and_collections()
    {
        var (browser, _, api) = await SignedInAsync();
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var collection = await api.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders" });

        var list = await browser.PageAsync("/dashboard/webhooks");
        list.QuerySelector(".page-head a.button")!.TextContent.ShouldBe("New webhook");
        var page = await browser.PageAsync("/dashboard/webhooks/new");

        page.QuerySelectorAll("input[name=triggers]").Select(i => i.GetAttribute("value")).ShouldBe(WebhookTriggers.All);
        page.QuerySelectorAll("input[name=callers]").Select(i => i.GetAttribute("value")).ShouldBe(["ms", "publisher"]);
        page.QuerySelectorAll("#scope option").Select(o => (o.GetAttribute("value"), o.TextContent))
            .ShouldBe([("", "The whole account"), ($"d:{database}", "People (with its collections)"), ($"c:{collection}", "People › Orders")]);
        page.QuerySelectorAll("#format option").Select(o => o.GetAttribute("value")).ShouldBe(WebhookFormats.All);
        page.QuerySelectorAll("#signing option").Select(o => o.GetAttribute("value")).ShouldBe(WebhookSigningSchemes.All);
        ((IHtmlInputElement)page.QuerySelector("#max_concurrency")!).Value.ShouldBe("4");
        page.QuerySelector("label[for=handler]")!.TextContent.ShouldBe("Callback URL");
        page.QuerySelectorAll("legend").Select(l => l.TextContent).ShouldBe(["Triggers", "Callers", "Limits"]);
    }

    [Fact]
    public async Task A_webhook_created_with_the_form_has_every_setting_the_form_sent()
    {
        var (browser, user, api) = await SignedInAsync();
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var collection = await api.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders" });
        var fields = Fields($"https://{DeliveryApp.ReceiverHost}/new", "open", "click");
        fields[2] = ("scope", $"c:{collection}");

        var id = CreatedId(await PostFormAsync(browser, "/dashboard/webhooks/new", fields));

        var w = await WebhookAsync(user.AccountId, id);
        w.Handler.ShouldBe($"https://{DeliveryApp.ReceiverHost}/new");
        w.TriggerList.ShouldBe(["open", "click"]);
        w.CallerList.ShouldBe(["ms"]);
        (w.DatabaseId, w.CollectionId).ShouldBe((database, collection));
        (w.Format, w.Signing, w.Ordered, w.TraceContext).ShouldBe(("json", "standard", true, true));
        (w.MaxConcurrency, w.MaxPerSecond, w.BatchMaxEvents, w.BatchMaxMs).ShouldBe((2, 30, 10, 500));
        var detail = await browser.PageAsync($"/dashboard/webhooks/{id}");
        detail.QuerySelector("h1")!.TextContent.ShouldBe($"Webhook {id}");
        detail.QuerySelector("main")!.TextContent.ShouldNotContain("Read-only here");
        detail.QuerySelectorAll("dt").Single(dt => dt.TextContent == "Trace context").NextElementSibling!.TextContent.ShouldBe("sent (traceparent)");
    }

    [Fact]
    public async Task A_refused_handler_is_shown_next_to_its_field_with_the_services_text_and_nothing_typed_is_lost()
    {
        var (browser, user, _) = await SignedInAsync();
        var fields = Fields("ftp://files.example.com/in", "open", "bounce");

        var response = await PostFormAsync(browser, "/dashboard/webhooks/new", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await DashboardBrowser.ParseAsync(response);
        page.QuerySelector("#handler-error")!.TextContent.ShouldBe("The handler 'ftp://files.example.com/in' is not an absolute http or https URL.");
        page.QuerySelector("#handler")!.GetAttribute("aria-describedby")!.ShouldContain("handler-error");
        page.QuerySelector("[role=alert]")!.TextContent.ShouldContain("Not saved");
        ((IHtmlInputElement)page.QuerySelector("#handler")!).Value.ShouldBe("ftp://files.example.com/in");
        page.QuerySelectorAll("input[name=triggers]").OfType<IHtmlInputElement>().Where(i => i.IsChecked).Select(i => i.Value).ShouldBe(["open", "bounce"]);
        ((IHtmlInputElement)page.QuerySelector("#batch_max_ms")!).Value.ShouldBe("500");
        ((IHtmlInputElement)page.QuerySelector("input[name=ordered]")!).IsChecked.ShouldBeTrue();
        ((IHtmlInputElement)page.QuerySelector("input[name=trace_context]")!).IsChecked.ShouldBeTrue();
        ((IHtmlSelectElement)page.QuerySelector("#format")!).Value.ShouldBe("json");
        (await app.Services.GetRequiredService<WebhookService>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(0);
    }

    [Theory]
    [InlineData("max_concurrency", "0", "max_concurrency must be a whole number from 1 to 64.")]
    [InlineData("max_per_second", "many", "max_per_second must be a whole number from 1 to 100000.")]
    [InlineData("batch_max_ms", "60001", "batch_max_ms must be a whole number from 0 to 60000.")]
    public async Task A_refused_limit_is_shown_next_to_that_limit(string key, string value, string message)
    {
        var (browser, _, _) = await SignedInAsync();
        var fields = Fields($"https://{DeliveryApp.ReceiverHost}/limits", "open").Select(f => f.Item1 == key ? (key, value) : f);

        var page = await DashboardBrowser.ParseAsync(await PostFormAsync(browser, "/dashboard/webhooks/new", fields));

        page.QuerySelector($"#{key}-error")!.TextContent.ShouldBe(message);
        ((IHtmlInputElement)page.QuerySelector($"#{key}")!).Value.ShouldBe(value);
        page.QuerySelector("#handler-error").ShouldBeNull();
    }

    [Fact]
    public async Task No_trigger_ticked_is_refused_next_to_the_triggers()
    {
        var (browser, _, _) = await SignedInAsync();

        var page = await DashboardBrowser.ParseAsync(await PostFormAsync(browser, "/dashboard/webhooks/new", Fields($"https://{DeliveryApp.ReceiverHost}/none")));

        page.QuerySelector("#triggers-error")!.TextContent.ShouldStartWith("At least one trigger is required");
    }

    [Fact]
    public async Task The_edit_form_shows_the_webhooks_settings_and_saves_changes()
    {
        var (browser, user, api) = await SignedInAsync();
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/edit"), new { triggers = new[] { "create", "update" }, database, max_per_second = 7 });

        var page = await browser.PageAsync($"/dashboard/webhooks/{id}/edit");
        ((IHtmlInputElement)page.QuerySelector("#handler")!).Value.ShouldBe($"https://{DeliveryApp.ReceiverHost}/edit");
        page.QuerySelectorAll("input[name=triggers]").OfType<IHtmlInputElement>().Where(i => i.IsChecked).Select(i => i.Value).ShouldBe(["create", "update"]);
        ((IHtmlSelectElement)page.QuerySelector("#scope")!).Value.ShouldBe($"d:{database}");
        ((IHtmlInputElement)page.QuerySelector("#max_per_second")!).Value.ShouldBe("7");
        ((IHtmlInputElement)page.QuerySelector("input[name=trace_context]")!).IsChecked.ShouldBeFalse();

        var response = await PostFormAsync(browser, $"/dashboard/webhooks/{id}/edit", Fields($"https://{DeliveryApp.ReceiverHost}/edited", "delete"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe($"/dashboard/webhooks/{id}");
        var w = await WebhookAsync(user.AccountId, id);
        (w.Handler, w.TriggerList.Single(), w.DatabaseId, w.MaxPerSecond, w.TraceContext).ShouldBe(($"https://{DeliveryApp.ReceiverHost}/edited", "delete", (long?)null, 30L, true));
    }

    [Fact]
    public async Task A_refused_edit_changes_nothing_and_shows_why()
    {
        var (browser, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/keep"), new { trigger = "open" });

        var page = await DashboardBrowser.ParseAsync(await PostFormAsync(browser, $"/dashboard/webhooks/{id}/edit", Fields("https://10.0.0.1/hook", "click")));

        page.QuerySelector("#handler-error")!.TextContent.ShouldContain("is an IP address, which can never be validated");
        var w = await WebhookAsync(user.AccountId, id);
        (w.Handler, w.TriggerList.Single()).ShouldBe(($"https://{DeliveryApp.ReceiverHost}/keep", "open"));
    }

    [Fact]
    public async Task Disabling_in_the_dashboard_says_who_did_it_and_enabling_clears_it()
    {
        var (browser, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/switch"), new { trigger = "open" });
        var detail = await browser.PageAsync($"/dashboard/webhooks/{id}");
        detail.QuerySelector(".action-bar form button")!.TextContent.ShouldBe("Disable");

        var off = await browser.SubmitAsync($"/dashboard/webhooks/{id}", "Disable", new Dictionary<string, string>());

        off.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await WebhookAsync(user.AccountId, id)).Enabled.ShouldBeFalse();
        var page = await browser.PageAsync($"/dashboard/webhooks/{id}");
        page.QuerySelector("#state-title + p .state")!.TextContent.ShouldBe("Disabled");
        page.QuerySelector("#state-title + p .state-detail")!.TextContent.ShouldStartWith($"Disabled in the dashboard by {user.Email} on ");
        var rest = await api.GetJsonAsync($"/v3/webhook/{id}");
        rest["disabled_reason"]!.GetValue<string>().ShouldStartWith($"Disabled in the dashboard by {user.Email} on ");

        await browser.SubmitAsync($"/dashboard/webhooks/{id}", "Enable", new Dictionary<string, string>());

        var on = await WebhookAsync(user.AccountId, id);
        (on.Enabled, on.DisabledReason).ShouldBe((true, (string?)null));
        (await browser.PageAsync($"/dashboard/webhooks/{id}")).QuerySelector("#state-title + p .state")!.TextContent.ShouldBe("Enabled");

        var (audit, _) = await app.Services.GetRequiredService<AuditTrail>().ListAsync(user.AccountId, "webhook", 0, 10, Ct);
        audit.Where(e => e.TargetId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(e => (e.Action, e.Actor))
            .Take(2).ShouldBe([("enabled", $"{user.Email} (user {user.Id})"), ("disabled", $"{user.Email} (user {user.Id})")], "newest first, both by the dashboard user");
    }

    [Fact]
    public async Task Delete_asks_first_and_then_removes_the_webhook()
    {
        var (browser, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/gone"), new { trigger = "open" });

        var confirm = await browser.PageAsync($"/dashboard/webhooks/{id}/delete");
        confirm.QuerySelector("h1")!.TextContent.ShouldBe($"Delete webhook {id}?");
        (await WebhookAsync(user.AccountId, id)).Id.ShouldBe(id, "asking deletes nothing");

        var response = await browser.SubmitAsync($"/dashboard/webhooks/{id}/delete", "Delete webhook", new Dictionary<string, string>());

        response.Headers.Location!.ToString().ShouldBe($"/dashboard/webhooks?deleted={id}");
        (await app.Services.GetRequiredService<WebhookService>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(0);
        (await browser.PageAsync(response.Headers.Location!.ToString())).QuerySelector("[role=status]")!.TextContent.ShouldBe($"Webhook {id} has been deleted.");
        (await browser.GetAsync($"/dashboard/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_read_only_user_sees_no_change_forms_and_their_forged_posts_change_nothing()
    {
        var (_, user, api) = await SignedInAsync();
        var id = await DeliveryApp.CreateWebhookAsync(api, new Uri($"https://{DeliveryApp.ReceiverHost}/ro"), new { trigger = "open" });
        var reader = await ReaderAsync(app, user.AccountId);

        var list = await reader.PageAsync("/dashboard/webhooks");
        list.QuerySelectorAll(".page-head a, .page-head button").Select(e => e.TextContent.Trim())
            .ShouldBe(["Check now"], "no New webhook; Check now is a link to the page that says why a reader cannot use it");
        list.QuerySelectorAll(".page-head form").ShouldBeEmpty();
        var detail = await reader.PageAsync($"/dashboard/webhooks/{id}");
        detail.QuerySelectorAll(".action-bar a, .action-bar button").Select(e => e.TextContent.Trim())
            .ShouldBe(["Validation", "Test webhook", "Replays"], "pages a reader may open (their forms disabled), nothing that changes");
        detail.QuerySelector(".action-bar .hint")!.TextContent.ShouldContain("read-only");
        foreach (var path in new[] { "/dashboard/webhooks/new", $"/dashboard/webhooks/{id}/edit", $"/dashboard/webhooks/{id}/delete" })
        {
            (await reader.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        var posts = new (string Path, List<(string, string)> Fields)[]
        {
            ("/dashboard/webhooks/new", Fields($"https://{DeliveryApp.ReceiverHost}/forged", "open")),
            ($"/dashboard/webhooks/{id}/edit", Fields($"https://{DeliveryApp.ReceiverHost}/forged", "click")),
            ($"/dashboard/webhooks/{id}/switch", [("enabled", "false")]),
            ($"/dashboard/webhooks/{id}/delete", []),
        };
        foreach (var (path, fields) in posts)
        {
            (await PostFormAsync(reader, path, fields)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        var w = await WebhookAsync(user.AccountId, id);
        (w.Handler, w.Enabled).ShouldBe(($"https://{DeliveryApp.ReceiverHost}/ro", true));
        (await app.Services.GetRequiredService<WebhookService>().ListAsync(user.AccountId, 0, 10, Ct)).Total.ShouldBe(1);
    }

    /// <summary>A read-only user of the account, signed in.</summary>
    internal static async Task<DashboardBrowser> ReaderAsync(TidingsApp app, long accountId)
    {
        var (readOnly, password) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: accountId);
        var reader = DashboardBrowser.Open(app);
        ((int)(await reader.SignInAsync(readOnly.Email, password)).StatusCode).ShouldBe(302);
        return reader;
    }

    [Fact]
    public async Task Another_accounts_webhook_is_not_found_on_any_configuration_page_nor_changed_by_a_post()
    {
        var (browser, _, _) = await SignedInAsync();
        var stranger = await app.NewAccountAsync("Theirs");
        await app.ValidateTestDomainAsync(stranger.AccountId);
        var theirs = await DeliveryApp.CreateWebhookAsync(stranger, new Uri($"https://{DeliveryApp.ReceiverHost}/theirs"), new { trigger = "open" });

        foreach (var suffix in new[] { "/edit", "/delete", "/validation", "/secrets" })
        {
            var response = await browser.GetAsync($"/dashboard/webhooks/{theirs}{suffix}");
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, suffix);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("/theirs");
        }

        var posts = new (string Path, List<(string, string)> Fields)[]
        {
            ($"/dashboard/webhooks/{theirs}/edit", Fields($"https://{DeliveryApp.ReceiverHost}/taken", "click")),
            ($"/dashboard/webhooks/{theirs}/switch", [("enabled", "false")]),
            ($"/dashboard/webhooks/{theirs}/delete", []),
            ($"/dashboard/webhooks/{theirs}/secrets", [("kind", "hmac")]),
            ($"/dashboard/webhooks/{theirs}/validation?handler=claim", [("domain_name", "tidings.test")]),
        };
        foreach (var (path, fields) in posts)
        {
            (await PostFormAsync(browser, path, fields)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }

        var w = await app.Services.GetRequiredService<WebhookService>().RequireAsync(stranger.AccountId, theirs.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
        (w.Handler, w.Enabled).ShouldBe(($"https://{DeliveryApp.ReceiverHost}/theirs", true));
    }
}
