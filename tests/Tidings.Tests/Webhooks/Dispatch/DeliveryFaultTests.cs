using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// Receivers that misbehave: down, slow beyond the timeout, 500s, 429 with Retry-After, 410, connection resets. After
/// recovery every event is delivered at least once, and every duplicate carries the same <c>webhook-id</c>.
/// </summary>
public sealed class DeliveryFaultTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An account with a validated localhost, a database, and a webhook on profile creates to <paramref name="handler"/>.</summary>
    private async Task<(ApiClient Client, long Database, long Webhook)> SetUpAsync(Uri handler, object? extra = null)
    {
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"), ("n", "integer"));
        var settings = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra ?? new { }))!.AsObject();
        settings["trigger"] = "create";
        settings["database"] = database;
        settings["signing"] ??= "standard";
        var webhook = await DeliveryApp.CreateWebhookAsync(client, handler, settings);
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        return (client, database, webhook);
    }

    private static async Task<IReadOnlyList<long>> CreateProfilesAsync(ApiClient client, long database, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++) ids.Add(await client.CreateProfileAsync(database, new { email = $"p{i}@example.com", n = i }));
        return ids;
    }

    /// <summary>Every profile arrived at least once, and calls with the same webhook-id carried the same profile.</summary>
    private static void EveryProfileDeliveredWithStableIds(IReadOnlyList<ReceivedCall> calls, IReadOnlyList<long> profiles)
    {
        var delivered = calls.Where(c => c.AnsweredStatus == 200).Select(c => c.Form["id"]).ToHashSet();
        foreach (var p in profiles) delivered.ShouldContain(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var group in calls.GroupBy(c => c.Header("webhook-id")))
        {
            group.Select(c => c.Form["id"]).Distinct().Count().ShouldBe(1, $"webhook-id {group.Key} must always carry the same event");
        }

        foreach (var group in calls.GroupBy(c => c.Form["id"]))
        {
            group.Select(c => c.Header("webhook-id")).Distinct().Count().ShouldBe(1, $"profile {group.Key}: every retry must carry the same webhook-id");
        }
    }

    private static bool AllDelivered(IReadOnlyList<ReceivedCall> calls, IReadOnlyList<long> profiles) =>
        profiles.All(p => calls.Any(c => c.AnsweredStatus == 200 && c.Form["id"] == p.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Events_sent_while_the_receiver_is_down_arrive_once_it_is_back()
    {
        var port = Receiver.FreePort();
        var (client, database, webhook) = await SetUpAsync(Localhost.Of(port));
        var profiles = await CreateProfilesAsync(client, database, 5);

        // Nothing listens: calls fail, retries are scheduled, and the webhook pauses.
        await EventTypeDeliveryTests.WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=pending"), d => d["total"]!.GetValue<int>() >= 1);
        var failing = await client.GetJsonAsync($"/v3/webhook/{webhook}/status");
        failing["failing_since"].ShouldNotBeNull();

        await using var receiver = await Receiver.StartAsync(port);
        var calls = await receiver.WaitAsync(c => AllDelivered(c, profiles), seconds: 30);
        EveryProfileDeliveredWithStableIds(calls, profiles);
        var healthy = await EventTypeDeliveryTests.WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/status"), s => s["failing_since"] is null);
        healthy["last_success"].ShouldNotBeNull();
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_gets_the_event_again_with_the_same_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n <= 2 ? 0 : 200; // the first two calls never answer (timeout 1.5 s)
        var (client, database, _) = await SetUpAsync(receiver.Url);
        var profiles = await CreateProfilesAsync(client, database, 1);

        var calls = await receiver.WaitAsync(c => AllDelivered(c, profiles), seconds: 30);
        calls.Count.ShouldBeGreaterThanOrEqualTo(3);
        EveryProfileDeliveredWithStableIds(calls, profiles);
    }

    [Fact]
    public async Task A_receiver_that_answers_200_but_never_ends_its_body_is_cut_off_at_the_timeout_and_counts_as_delivered()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.StallBody = _ => true; // status and "ok" at once, then the body never ends (timeout 1.5 s)
        var (client, database, webhook) = await SetUpAsync(receiver.Url);
        await CreateProfilesAsync(client, database, 1);

        // The call is over once the timeout ends the read of the response excerpt: the status came in time.
        var attempts = await EventTypeDeliveryTests.WaitForAsync(
            async () => (await client.GetJsonAsync($"/v3/webhook/{webhook}/attempts?limit=100"))["data"]!.AsArray(), a => a.Count >= 1);
        attempts.Count.ShouldBe(1);
        attempts[0]!["status"]!.GetValue<int>().ShouldBe(200);
        attempts[0]!["response"]!.GetValue<string>().ShouldBe("ok");
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=pending"))["total"]!.GetValue<int>().ShouldBe(0);
        receiver.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_recorded_until_the_receiver_accepts()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n <= 3 ? 500 : 200;
        var (client, database, webhook) = await SetUpAsync(receiver.Url);
        var profiles = await CreateProfilesAsync(client, database, 2);

        var calls = await receiver.WaitAsync(c => AllDelivered(c, profiles), seconds: 30);
        EveryProfileDeliveredWithStableIds(calls, profiles);
        var attempts = await EventTypeDeliveryTests.WaitForAsync(
            async () => (await client.GetJsonAsync($"/v3/webhook/{webhook}/attempts?limit=100"))["data"]!.AsArray(), a => a.Count >= calls.Count);
        attempts.Count(a => a!["status"]!.GetValue<int>() == 500).ShouldBe(3);
        attempts.First(a => a!["status"]!.GetValue<int>() == 500)!["response"]!.GetValue<string>().ShouldBe("no");
        var delivered = await EventTypeDeliveryTests.WaitForAsync(
            async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=delivered"), d => d["total"]!.GetValue<int>() >= 1);
        delivered["data"]![0]!["attempts"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2);

        // Failed calls are in the feedback-loop-errors log file: time, response (HTTP status), recipient (the receiver's IP), header.
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var log = await EventTypeDeliveryTests.WaitForAsync(
            async () => JsonNode.Parse((await client.GetTextAsync($"/v3/logfile/feedback-loop-errors.{today}.log/json")).Body)!.AsArray(), l => l.Count >= 3);
        log[0]!["response"]!.GetValue<long>().ShouldBe(500);
        log[0]!["recipient"]!.GetValue<string>().ShouldBe("127.0.0.1");
        log[0]!["header"]!.GetValue<string>().ShouldContain("Server: Kestrel", Case.Insensitive, log.ToJsonString());
    }

    [Fact]
    public async Task Too_many_requests_with_retry_after_is_honoured_before_the_next_call()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n == 1 ? 429 : 200;
        receiver.AnswerHeaders = n => n == 1 ? new Dictionary<string, string> { ["Retry-After"] = "2" } : new Dictionary<string, string>();
        var (client, database, _) = await SetUpAsync(receiver.Url);
        var profiles = await CreateProfilesAsync(client, database, 1);

        var calls = await receiver.WaitAsync(c => AllDelivered(c, profiles), seconds: 30);
        (calls[1].At - calls[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        EveryProfileDeliveredWithStableIds(calls, profiles);
    }

    [Fact]
    public async Task Gone_disables_the_webhook_tells_the_account_and_sends_nothing_more()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 410;
        var (client, database, webhook) = await SetUpAsync(receiver.Url);
        await CreateProfilesAsync(client, database, 1);

        var disabled = await EventTypeDeliveryTests.WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}"), w => !w["enabled"]!.GetValue<bool>());
        disabled["disabled_reason"]!.GetValue<string>().ShouldContain("410");
        var notices = await client.GetJsonAsync("/v3/notices");
        notices["data"]![0]!["kind"]!.GetValue<string>().ShouldBe("webhook.disabled");
        notices["data"]![0]!["message"]!.GetValue<string>().ShouldContain("410");
        var audit = (await client.GetJsonAsync("/v3/audit?type=webhook"))["data"]![0]!;
        (audit["action"]!.GetValue<string>(), audit["actorKind"]!.GetValue<string>(), audit["targetId"]!.GetValue<string>()).ShouldBe(("disabled", "system", webhook.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"))["total"]!.GetValue<int>().ShouldBe(1);

        // A webhook on the same events, started after the disabling: once it has them, the engine has read past them
        // and had every chance to send them to the disabled one too.
        await using var witness = await Receiver.StartAsync();
        var watching = await DeliveryApp.CreateWebhookAsync(client, witness.Url, new { trigger = "create", database, signing = "none" });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, watching);
        var before = receiver.Calls.Count;
        await CreateProfilesAsync(client, database, 2);
        await witness.WaitAsync(c => c.Count(x => x.AnsweredStatus == 200) >= 2);
        receiver.Calls.Count.ShouldBe(before);
    }

    [Fact]
    public async Task Connection_resets_are_retried()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n <= 2 ? -1 : 200;
        var (client, database, webhook) = await SetUpAsync(receiver.Url);
        var profiles = await CreateProfilesAsync(client, database, 1);

        var calls = await receiver.WaitAsync(c => AllDelivered(c, profiles), seconds: 30);
        EveryProfileDeliveredWithStableIds(calls, profiles);
        var attempts = (await client.GetJsonAsync($"/v3/webhook/{webhook}/attempts"))["data"]!.AsArray();
        attempts.Any(a => a!["status"] is null && a["error"]!.GetValue<string>().Length > 0).ShouldBeTrue();
    }

    [Fact]
    public async Task An_ordered_webhook_delivers_one_profiles_changes_in_order_despite_failures()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n % 3 == 1 ? 500 : 200;
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"), ("n", "integer"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "update", database, ordered = true, max_concurrency = 4, signing = "none" });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        var profile = await client.CreateProfileAsync(database, new { email = "a@example.com", n = 0 });
        for (var i = 1; i <= 6; i++) (await client.PutJsonAsync($"/v3/profile/{profile}", new { fields = new { n = i } })).IsSuccessStatusCode.ShouldBeTrue();

        var calls = await receiver.WaitAsync(c => c.Count(x => x.AnsweredStatus == 200) >= 6, seconds: 30);
        var order = calls.Where(c => c.AnsweredStatus == 200).Select(c => int.Parse(c.Form["parameters[n]"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        order.ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public async Task A_batching_webhook_receives_json_arrays_of_several_events()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, database, _) = await SetUpAsync(receiver.Url, new { batch_max_events = 10, batch_max_ms = 500, max_concurrency = 1 });
        var profiles = await CreateProfilesAsync(client, database, 12);

        var calls = await receiver.WaitAsync(c => c.Sum(x => x.Json.AsArray().Count) >= 12, seconds: 30);
        calls.ShouldAllBe(c => c.Header("Content-Type") == "application/json");
        calls.Max(c => c.Json.AsArray().Count).ShouldBeGreaterThan(1);
        var ids = calls.SelectMany(c => c.Json.AsArray().Select(e => e!["id"]!.ToString())).ToHashSet();
        foreach (var p in profiles) ids.ShouldContain(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_rate_limit_spaces_calls_out()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, database, _) = await SetUpAsync(receiver.Url, new { max_per_second = 4, max_concurrency = 4 });
        await CreateProfilesAsync(client, database, 9);

        var calls = await receiver.WaitAsync(c => c.Count >= 9, seconds: 30);
        (calls.Max(c => c.At) - calls.Min(c => c.At)).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_dead_receiver_does_not_hold_up_another_accounts_webhook()
    {
        await using var dead = await Receiver.StartAsync();
        dead.Answer = _ => 0; // never answers
        await using var healthy = await Receiver.StartAsync();
        var (deadClient, deadDatabase, _) = await SetUpAsync(dead.Url, new { max_concurrency = 2 });
        var (client, database, _) = await SetUpAsync(healthy.Url);

        await CreateProfilesAsync(deadClient, deadDatabase, 20);
        var started = DateTime.UtcNow;
        var profiles = await CreateProfilesAsync(client, database, 5);
        await healthy.WaitAsync(c => AllDelivered(c, profiles), seconds: 10);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }
}
