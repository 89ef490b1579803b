using System.Diagnostics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

/// <summary>A server whose statistics consumer would poll only every ten minutes: appends must wake it.</summary>
public sealed class SlowPollApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Statistics:PollIntervalMs"] = "600000",
    };
}

/// <summary>
/// The statistics consumer is woken when journal appends commit, so the statistics show a new event at once instead of
/// after <c>Statistics:PollIntervalMs</c> (which stays as the fallback poll).
/// </summary>
public sealed class StatisticsWakeTests(SlowPollApp app) : IClassFixture<SlowPollApp>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Statistics_count_a_burst_of_opens_long_before_the_poll_interval()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, 3);
        var events = new StatisticsEvents(app, client);

        // No catching up and no explicit wake: only the journal's signal can make the consumer look before ten minutes.
        foreach (var d in s.Destinations) await events.OpenAsync(d, StatisticsEvents.Day1);
        await events.OpenAsync(s.Destinations[0], StatisticsEvents.Day1 + 1000);

        var impressions = await WaitForImpressionsAsync(client, s.MailingId, 4);
        impressions.ShouldBe(4);

        // And again once the consumer is idle, waiting.
        await events.OpenAsync(s.Destinations[1], StatisticsEvents.Day1 + 2000);
        (await WaitForImpressionsAsync(client, s.MailingId, 5)).ShouldBe(5);
    }

    /// <summary>The mailing's impressions once they reach <paramref name="expected"/>, or what they are when the bound runs out.</summary>
    private static async Task<long> WaitForImpressionsAsync(ApiClient client, long mailingId, long expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = await client.GetJsonAsync($"/v3/ms/emailing/{mailingId}/statistics");
            var total = stats["impressions"]!["total"]!.GetValue<long>();
            if (total >= expected || clock.Elapsed > Bound) return total;
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }
}
