using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Events;
using Tidings.Journal;
using Tidings.LogFiles;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>Profile changes are kept 30 days, so a replay of older ones says what is gone.</summary>
public sealed class ProfileRetentionApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Events:ProfileEventRetention"] = "30.00:00:00",
        // The tests sweep on a fake clock; the server's own sweep, on the real one, must not run between their steps.
        ["LogFiles:RetentionFirstSweepDelay"] = "1.00:00:00",
    };
}

/// <summary>
/// A disabled webhook's waiting retries hold journal records back from retention for <c>Webhooks:Dispatch:DisabledHold</c>
/// only; then retention removes them, and the webhook shows what it lost. Each test has a server of its own: another
/// test's webhook would hold the same records back with its cursor.
/// </summary>
public sealed class DisabledHoldTests : IAsyncLifetime
{
    private readonly ProfileRetentionApp app = new();

    public ValueTask InitializeAsync() => app.InitializeAsync();

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IStorage Storage => app.Services.GetRequiredService<IStorage>();

    [Fact]
    public async Task A_webhook_disabled_past_the_hold_stops_holding_records_and_shows_what_it_lost_with_one_notice()
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "update", database, signing = "none" });
        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = false })).EnsureSuccessStatusCode();

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await SetDisabledAtAsync(webhook, time.GetUtcNow().AddDays(-2));
        var first = await WaitingEventAsync(client.AccountId, webhook, time.GetUtcNow().AddDays(-40));
        var sweeper = Sweeper(time);

        // Disabled for 2 days, the hold is 7: the record stays.
        await sweeper.SweepAsync(Ct);
        (await KeptAsync(first)).ShouldBeTrue();
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/status"))["lost"].ShouldBeNull();

        // Disabled for 8 days: the retry store lets go, retention removes the record, the webhook counts it as lost.
        time.Advance(TimeSpan.FromDays(6));
        await sweeper.SweepAsync(Ct);
        (await KeptAsync(first)).ShouldBeFalse();
        var status = await client.GetJsonAsync($"/v3/webhook/{webhook}/status");
        status["lost"]!["events"]!.GetValue<long>().ShouldBe(1);
        (status["lost"]!["from_seq"]!.GetValue<long>(), status["lost"]!["to_seq"]!.GetValue<long>()).ShouldBe((first, first));
        var delivery = (await client.GetJsonAsync($"/v3/webhook/{webhook}/deliveries?status=failed"))["data"]![0]!;
        delivery["last_error"]!.GetValue<string>().ShouldBe(DisabledWebhookRetention.LostError);

        // More is lost while it stays disabled: counted, but the account is told once.
        var second = await WaitingEventAsync(client.AccountId, webhook, time.GetUtcNow().AddDays(-35));
        await sweeper.SweepAsync(Ct);
        status = await client.GetJsonAsync($"/v3/webhook/{webhook}/status");
        status["lost"]!["events"]!.GetValue<long>().ShouldBe(2);
        status["lost"]!["to_seq"]!.GetValue<long>().ShouldBe(second);
        (await NoticesAsync(client)).Count(n => n["kind"]!.GetValue<string>() == DisabledWebhookRetention.NoticeKind).ShouldBe(1);
        (await NoticesAsync(client)).First(n => n["kind"]!.GetValue<string>() == DisabledWebhookRetention.NoticeKind)["message"]!.GetValue<string>()
            .ShouldContain("cannot be sent or replayed");
    }

    [Fact]
    public async Task Re_enabled_its_waiting_retries_hold_records_again_and_the_lost_count_stays_visible()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = _ => 500; // the re-enabled webhook keeps its waiting delivery pending
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "update", database, signing = "none" });
        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = false })).EnsureSuccessStatusCode();

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await SetDisabledAtAsync(webhook, time.GetUtcNow().AddDays(-8));
        var lost = await WaitingEventAsync(client.AccountId, webhook, time.GetUtcNow().AddDays(-40));
        var sweeper = Sweeper(time);
        await sweeper.SweepAsync(Ct);
        (await KeptAsync(lost)).ShouldBeFalse();

        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = true })).EnsureSuccessStatusCode();
        (await app.ScalarAsync<long?>("SELECT disabled_at FROM webhooks WHERE id = @webhook", new { webhook })).ShouldBeNull();
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM consumer_cursors WHERE name = @name", new { name = "webhook:" + webhook })).ShouldBe(1, "it follows the journal again");

        // A waiting retry of the enabled webhook holds its record again, however old.
        var held = await WaitingEventAsync(client.AccountId, webhook, time.GetUtcNow().AddDays(-40), nextAttempt: time.GetUtcNow().AddDays(1));
        await sweeper.SweepAsync(Ct);
        (await KeptAsync(held)).ShouldBeTrue();
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/status"))["lost"]!["events"]!.GetValue<long>().ShouldBe(1);
        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = false })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_replay_of_a_range_older_than_retention_says_which_part_is_gone()
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "update", database, signing = "none" });

        var from = DateTime.UtcNow.AddDays(-45).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var replay = await client.CreateAsync($"/v3/webhook/{webhook}/replay", new { from });
        var answer = await client.GetJsonAsync($"/v3/webhook/{webhook}/replay/{replay}");
        answer["lost"]!.GetValue<string>().ShouldContain("Events:ProfileEventRetention");
        answer["lost"]!.GetValue<string>().ShouldContain("profile.update");

        var recent = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var within = await client.CreateAsync($"/v3/webhook/{webhook}/replay", new { from = recent });
        (await client.GetJsonAsync($"/v3/webhook/{webhook}/replay/{within}"))["lost"].ShouldBeNull();
    }

    [Fact]
    public async Task The_dashboard_shows_the_lost_events_of_a_webhook_and_the_lost_part_of_a_replay()
    {
        await using var receiver = await Receiver.StartAsync();
        var (browser, user, _) = await Tidings.Tests.Dashboard.DashboardBrowser.SignedInAsync(app, Tidings.Users.UserRole.Editor, "Lost");
        await app.ValidateTestDomainAsync(user.AccountId);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        var database = await api.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(api, receiver.Url, new { trigger = "update", database, signing = "none" });
        (await (await browser.GetAsync($"/dashboard/webhooks/{webhook}")).Content.ReadAsStringAsync(Ct)).ShouldNotContain("lost-events");

        await Storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE webhooks SET lost_events = 3, lost_from = 10, lost_to = 12, lost_at = @at WHERE id = @webhook",
            new { at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), webhook }, w.Transaction), Ct);
        var page = Tidings.Tests.Dashboard.DashboardBrowser.Parse(await (await browser.GetAsync($"/dashboard/webhooks/{webhook}")).Content.ReadAsStringAsync(Ct));
        page.QuerySelector("#lost-events")!.TextContent.ShouldContain("3 waiting events (journal positions 10–12)");

        var from = DateTime.UtcNow.AddDays(-45).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var replay = await api.CreateAsync($"/v3/webhook/{webhook}/replay", new { from });
        var replayPage = Tidings.Tests.Dashboard.DashboardBrowser.Parse(await (await browser.GetAsync($"/dashboard/webhooks/{webhook}/replays/{replay}")).Content.ReadAsStringAsync(Ct));
        replayPage.QuerySelector("#replay-lost")!.TextContent.ShouldContain("Events:ProfileEventRetention");
    }

    private ProfileEventRetention Sweeper(FakeTimeProvider time)
    {
        var options = app.Services.GetRequiredService<IOptions<DispatchOptions>>().Value;
        var retention = new JournalRetention(Storage, app.Services.GetRequiredService<JournalHorizon>(), [new DisabledWebhookRetention(Storage, time, options, NullLogger<DisabledWebhookRetention>.Instance)]);
        return new ProfileEventRetention(retention, time, Options.Create(new EventsOptions { ProfileEventRetention = TimeSpan.FromDays(30) }),
            Options.Create(new LogFilesOptions { RetentionBatchSize = 100 }), NullLogger<ProfileEventRetention>.Instance);
    }

    private Task SetDisabledAtAsync(long webhook, DateTimeOffset at) => Storage.WriteAsync(w => w.Connection.ExecuteAsync(
        "UPDATE webhooks SET disabled_at = @at WHERE id = @webhook", new { at = at.ToUnixTimeMilliseconds(), webhook }, w.Transaction), Ct);

    /// <summary>An old profile change and a pending delivery of it for the webhook (a retry waiting when it was disabled).</summary>
    private async Task<long> WaitingEventAsync(long account, long webhook, DateTimeOffset occurred, DateTimeOffset? nextAttempt = null)
    {
        var eventId = Guid.NewGuid().ToString("N");
        var seq = await Storage.WriteAsync(async w =>
        {
            var seq = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES (@eventId, @account, 'profile.update', @occurred, '{}') RETURNING seq",
                new { eventId, account, occurred = occurred.ToUnixTimeMilliseconds() }, w.Transaction);
            var at = (nextAttempt ?? occurred).ToUnixTimeMilliseconds();
            await w.Connection.ExecuteAsync(
                "INSERT INTO webhook_deliveries (webhook_id, account_id, journal_seq, event_id, profile_key, status, attempts, next_attempt, created) " +
                "VALUES (@webhook, @account, @seq, @eventId, NULL, 'pending', 1, @at, @at)",
                new { webhook, account, seq, eventId, at }, w.Transaction);
            // A recent record after it: the statistics consumer's cursor stays on the last record it read.
            await w.Connection.ExecuteAsync(
                "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES (@id, @account, 'open', @now, '{}')",
                new { id = Guid.NewGuid().ToString("N"), account, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, w.Transaction);
            return seq;
        }, Ct);
        await app.Services.GetRequiredService<Tidings.Statistics.StatisticsConsumer>().CatchUpAsync(Ct);
        return seq;
    }

    private async Task<bool> KeptAsync(long seq) => await app.ScalarAsync<long>("SELECT COUNT(*) FROM journal WHERE seq = @seq", new { seq }) == 1;

    private static async Task<List<JsonNode>> NoticesAsync(ApiClient client) =>
        (await client.GetJsonAsync("/v3/notices"))["data"]!.AsArray().Select(n => n!).ToList();
}
