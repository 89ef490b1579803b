using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Rejections;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

/// <summary>
/// <see cref="StatisticsService"/> called directly, as every front end calls it: windows are given by their first and
/// last moment, and the last one counts to the end of its second.
/// </summary>
public sealed class StatisticsServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatisticsService Service => app.Services.GetRequiredService<StatisticsService>();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_window_ending_at_a_second_counts_the_events_of_that_whole_second()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, 2);
        var events = new StatisticsEvents(app, client);
        var end = StatisticsEvents.Day2;
        await events.OpenAsync(scenario.Destinations[0], end - 1);
        await events.OpenAsync(scenario.Destinations[0], end + 999);
        await events.OpenAsync(scenario.Destinations[1], end + 1000);
        await events.CountedAsync();

        var upToEnd = await Service.MailingStatisticsAsync(client.AccountId, Id(scenario.MailingId), null, end, Ct);
        var fromEnd = await Service.MailingStatisticsAsync(client.AccountId, Id(scenario.MailingId), end, null, Ct);
        var all = await Service.MailingStatisticsAsync(client.AccountId, Id(scenario.MailingId), null, null, Ct);

        upToEnd.Counts[MailingCounters.Impressions].ShouldBe(new Counter(2, 1));
        fromEnd.Counts[MailingCounters.Impressions].ShouldBe(new Counter(2, 2));
        all.Counts[MailingCounters.Impressions].ShouldBe(new Counter(3, 2));
        all.Destinations.ShouldBe(2);

        var scope = await Service.MailingScopeAsync(client.AccountId, Id(scenario.MailingId), Ct);
        var (items, total) = await Service.ListAsync(scope, MailingCounters.Impressions, end, end, unique: false, 0, 100, withTotal: true, Ct);
        total.ShouldBe(1);
        items.ShouldHaveSingleItem().Occurred.ShouldBe(end + 999);
    }

    [Fact]
    public async Task A_destination_window_counts_only_its_own_events()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, 2);
        var events = new StatisticsEvents(app, client);
        var d = scenario.Destinations[0];
        await events.ClickAsync(d, StatisticsEvents.Day1, link: 0);
        await events.ClickAsync(d, StatisticsEvents.Day2, link: 1);
        await events.ClickAsync(scenario.Destinations[1], StatisticsEvents.Day2, link: 0);
        await events.CountedAsync();

        var day2 = await Service.DestinationStatisticsAsync(client.AccountId, d.MessageId, StatisticsEvents.Day2, null, Ct);
        var always = await Service.DestinationStatisticsAsync(client.AccountId, Id(d.Id), null, null, Ct);

        day2.DestinationId.ShouldBe(d.Id);
        day2.Counts[MailingCounters.Clicks].ShouldBe(1);
        day2.DistinctLinksClicked.ShouldBe(1);
        always.Counts[MailingCounters.Clicks].ShouldBe(2);
        always.DistinctLinksClicked.ShouldBe(2);
    }

    [Fact]
    public async Task An_unknown_destination_is_rejected()
    {
        var client = await app.NewAccountAsync();

        (await Should.ThrowAsync<RequestRejectedException>(() => Service.DestinationStatisticsAsync(client.AccountId, "999999999", null, null, Ct)))
            .Message.ShouldBe("No destination with supplied ID");
        (await Should.ThrowAsync<RequestRejectedException>(() => Service.DestinationScopeAsync(client.AccountId, "no-such-message", Ct)))
            .Message.ShouldBe("No destination with supplied ID");
    }
}
