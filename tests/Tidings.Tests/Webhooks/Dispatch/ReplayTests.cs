using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>Replays: every failed delivery, one event, and a time range, each with progress.</summary>
public sealed class ReplayTests(ShortRetryWindowApp app) : IClassFixture<ShortRetryWindowApp>
{
    private async Task<(ApiClient Client, long Database, long Webhook)> SetUpAsync(Receiver receiver)
    {
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database, signing = "standard" });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        return (client, database, webhook);
    }

    private static async Task<JsonNode> ReplayAsync(ApiClient client, long webhook, object body)
    {
        var replay = await client.CreateAsync($"/v3/webhook/{webhook}/replay", body);
        return await EventTypeDeliveryTests.WaitForAsync(
            async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/replay/{replay}"),
            r => r["status"]!.GetValue<string>() == "done" && r["pending"]!.GetValue<int>() == 0);
    }

    [Fact]
    public async Task Failed_deliveries_are_sent_again_on_request_and_the_replay_shows_its_progress()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500;
        var (client, database, webhook) = await SetUpAsync(receiver);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        await client.CreateProfileAsync(database, new { email = "b@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"), d => d["total"]!.GetValue<int>() == 2);

        receiver.Answer = _ => 200;
        var replay = await ReplayAsync(client, webhook, new { failed = true });

        replay["kind"]!.GetValue<string>().ShouldBe("failed");
        replay["queued"]!.GetValue<int>().ShouldBe(2);
        replay["delivered"]!.GetValue<int>().ShouldBe(2);
        replay["percent"]!.GetValue<double>().ShouldBe(100);
        receiver.DeliveredIds.Count.ShouldBe(2);
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task One_event_is_sent_again_with_its_original_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, database, webhook) = await SetUpAsync(receiver);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        var first = (await receiver.WaitAsync(c => c.Count == 1))[0];

        await ReplayAsync(client, webhook, new { @event = first.Header("webhook-id") });

        var calls = await receiver.WaitAsync(c => c.Count == 2);
        calls[1].Header("webhook-id").ShouldBe(first.Header("webhook-id"));
        calls[1].Form["id"].ShouldBe(first.Form["id"]);
    }

    [Fact]
    public async Task A_time_range_is_replayed_with_progress_and_only_the_webhooks_events()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, database, webhook) = await SetUpAsync(receiver);
        for (var i = 0; i < 3; i++) await client.CreateProfileAsync(database, new { email = $"p{i}@example.com" });
        var other = await client.CreateDatabaseAsync("Elsewhere", ("email", "email"));
        await client.CreateProfileAsync(other, new { email = "not-this-one@example.com" });
        var originals = await receiver.WaitAsync(c => c.Count == 3);

        var from = DateTime.UtcNow.AddHours(-3).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var replay = await ReplayAsync(client, webhook, new { from });

        replay["kind"]!.GetValue<string>().ShouldBe("range");
        replay["queued"]!.GetValue<int>().ShouldBe(3);
        replay["delivered"]!.GetValue<int>().ShouldBe(3);
        replay["scanned"]!.GetValue<int>().ShouldBe(replay["total"]!.GetValue<int>());
        var calls = await receiver.WaitAsync(c => c.Count == 6);
        calls.Skip(3).Select(c => c.Header("webhook-id")).Order().ShouldBe(originals.Select(c => c.Header("webhook-id")).Order());
    }

    /// <summary>What log file retention does to an old delivery's event: deletes its journal record.</summary>
    private Task RemoveEventOfDeliveryAsync(string delivery) =>
        app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(
            "DELETE FROM journal WHERE seq = (SELECT journal_seq FROM webhook_deliveries WHERE id = @id)", new { id = long.Parse(delivery, System.Globalization.CultureInfo.InvariantCulture) }, w.Transaction), TestContext.Current.CancellationToken);

    private static async Task<JsonArray> FailedDeliveriesAsync(ApiClient client, long webhook, int count) =>
        (await EventTypeDeliveryTests.WaitForAsync(
            async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"),
            // The list and its total are read by two queries: wait until both show the deliveries.
            d => d["total"]!.GetValue<int>() == count && d["data"]!.AsArray().Count == count))["data"]!.AsArray();

    [Fact]
    public async Task Failed_deliveries_whose_events_retention_removed_are_not_replayed_and_the_replay_says_so()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500;
        var (client, database, webhook) = await SetUpAsync(receiver);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        await client.CreateProfileAsync(database, new { email = "b@example.com" });
        var failed = await FailedDeliveriesAsync(client, webhook, 2);
        var removed = failed[0]!["ID"]!.GetValue<string>();
        await RemoveEventOfDeliveryAsync(removed);

        receiver.Answer = _ => 200;
        var replay = await ReplayAsync(client, webhook, new { failed = true });

        replay["total"]!.GetValue<int>().ShouldBe(2);
        replay["queued"]!.GetValue<int>().ShouldBe(1);
        replay["delivered"]!.GetValue<int>().ShouldBe(1);
        replay["error"]!.GetValue<string>().ShouldContain("1 failed deliveries were not replayed");
        receiver.DeliveredIds.Count.ShouldBe(1);
        await (await client.PostJsonAsync($"/v3/webhook/{webhook}/delivery/{removed}/retry", new { }))
            .ShouldBeCopernicaErrorAsync("The event of this delivery is no longer in the journal (retention removed it)");
    }

    [Fact]
    public async Task A_pending_delivery_whose_event_is_gone_is_marked_failed_with_the_reason_instead_of_waiting_for_ever()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500;
        var (client, database, webhook) = await SetUpAsync(receiver);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        var delivery = (await FailedDeliveriesAsync(client, webhook, 1))[0]!["ID"]!.GetValue<string>();

        // Pending again (as a replay leaves it) after retention removed its event, e.g. a replay racing the sweep.
        await RemoveEventOfDeliveryAsync(delivery);
        await app.Services.GetRequiredService<IStorage>().WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt = 0 WHERE id = @id", new { id = long.Parse(delivery, System.Globalization.CultureInfo.InvariantCulture) }, w.Transaction), TestContext.Current.CancellationToken);
        receiver.Answer = _ => 200;

        var settled = await EventTypeDeliveryTests.WaitForAsync(
            async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"),
            // The list and its total are read by two queries, so a settle between them can show a total without its row.
            d => d["data"]!.AsArray().Count == 1 && d["data"]![0]!["last_error"]?.GetValue<string>() == "The event of this delivery is no longer in the journal (retention removed it)");
        settled["data"]![0]!["ID"]!.GetValue<string>().ShouldBe(delivery);
        receiver.DeliveredIds.ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_replay_requests_get_clear_errors()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, _, webhook) = await SetUpAsync(receiver);
        await (await client.PostJsonAsync($"/v3/webhook/{webhook}/replay", new { })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync($"/v3/webhook/{webhook}/replay", new { @event = "nope" })).ShouldBeCopernicaErrorAsync("No event with supplied ID");
        await (await client.PostJsonAsync($"/v3/webhook/{webhook}/replay", new { from = "yesterday" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync($"/v3/webhook/{webhook}/delivery/999999/retry", new { })).ShouldBeCopernicaErrorAsync("No delivery with supplied ID");
        (await client.GetTextAsync($"/v3/webhook/{webhook}/replay/12345")).Body.ShouldContain("No replay with supplied ID");
    }
}

/// <summary>A webhook that keeps failing for the configured period is disabled and its account is told.</summary>
public sealed class AutoDisableTests(QuickDisableApp app) : IClassFixture<QuickDisableApp>
{
    [Fact]
    public async Task A_webhook_failing_for_the_whole_period_is_disabled_with_a_notice()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 503;
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });

        var disabled = await EventTypeDeliveryTests.WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}"), w => !w["enabled"]!.GetValue<bool>(), seconds: 30);
        disabled["disabled_reason"]!.GetValue<string>().ShouldContain("every call has failed since");
        var notice = (await client.GetJsonAsync("/v3/notices"))["data"]![0]!;
        notice["kind"]!.GetValue<string>().ShouldBe("webhook.disabled");
        notice["subject"]!.GetValue<string>().ShouldBe(webhook.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Enabling it again starts it afresh.
        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = true })).IsSuccessStatusCode.ShouldBeTrue();
        (await client.GetJsonAsync($"/v3/webhook/{webhook}"))["disabled_reason"].ShouldBeNull();
    }
}
