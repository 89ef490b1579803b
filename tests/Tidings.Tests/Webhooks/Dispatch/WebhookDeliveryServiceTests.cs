using Microsoft.Extensions.DependencyInjection;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// <see cref="WebhookDeliveryService"/> called directly, as every front end calls it: test calls, replays and the
/// deliveries list keep their rules, with the texts the REST API answers with.
/// </summary>
public sealed class WebhookDeliveryServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebhookDeliveryService Delivery => app.Services.GetRequiredService<WebhookDeliveryService>();

    private Task<(long Account, long Webhook)> NewWebhookAsync() => WebhookServiceTests.NewWebhookAsync(app);

    [Fact]
    public async Task A_test_call_to_a_handler_on_an_unvalidated_domain_is_rejected_with_the_reason()
    {
        var (account, id) = await NewWebhookAsync();
        var webhook = await Delivery.RequireWebhookAsync(account, Id(id), Ct);

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => Delivery.TestAsync(webhook, null, null, Ct));

        rejected.Message.ShouldBe("Not sent: " + WebhookServiceTests.NotUnderAValidatedDomain);
    }

    [Fact]
    public async Task A_range_replay_whose_end_lies_before_its_start_is_rejected()
    {
        var (account, id) = await NewWebhookAsync();
        var webhook = await Delivery.RequireWebhookAsync(account, Id(id), Ct);

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() =>
            Delivery.ReplayAsync(webhook, new ReplayRequest(FromMs: 2_000_000, ToMs: 1_000_000), Ct));

        rejected.Message.ShouldBe("The end of the time range lies before its start");
        (await Delivery.ReplaysAsync(account, Id(id), 0, 100, Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task A_range_replay_without_an_end_runs_until_now()
    {
        var (account, id) = await NewWebhookAsync();
        var webhook = await Delivery.RequireWebhookAsync(account, Id(id), Ct);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var replay = await Delivery.ReplayAsync(webhook, new ReplayRequest(FromMs: 1_000_000), Ct);

        var (record, _) = await Delivery.GetReplayAsync(account, Id(id), Id(replay), Ct);
        record.Kind.ShouldBe("range");
        record.RangeFrom.ShouldBe(1_000_000);
        record.RangeTo!.Value.ShouldBeGreaterThanOrEqualTo(before);
    }

    [Fact]
    public async Task A_replay_that_names_nothing_to_replay_is_rejected()
    {
        var (account, id) = await NewWebhookAsync();
        var webhook = await Delivery.RequireWebhookAsync(account, Id(id), Ct);

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => Delivery.ReplayAsync(webhook, new ReplayRequest(), Ct));

        rejected.Message.ShouldBe("Say what to replay: event, delivery, failed=true, or from (and to)");
    }

    [Fact]
    public async Task Deliveries_of_an_unknown_status_are_rejected()
    {
        var (account, id) = await NewWebhookAsync();

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => Delivery.DeliveriesAsync(account, Id(id), "lost", 0, 100, Ct));

        rejected.Message.ShouldBe("Invalid status (expected pending, failed or delivered)");
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
