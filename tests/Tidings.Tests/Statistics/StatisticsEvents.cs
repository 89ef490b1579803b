using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Statistics;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

/// <summary>Appends tracking and MTA events the way their producers do, and waits for the statistics to count them.</summary>
public sealed class StatisticsEvents(TidingsApp app, ApiClient client)
{
    public const string Desktop = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    public const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

    /// <summary>2026-03-10 10:00:00 in Europe/Amsterdam (the API's default time zone).</summary>
    public static readonly long Day1 = DateTimeOffset.Parse("2026-03-10T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public static readonly long Day2 = Day1 + TimeSpan.FromDays(1).Ticks / TimeSpan.TicksPerMillisecond;

    private JournalWriter Writer => app.Services.GetRequiredService<JournalWriter>();

    public Task OpenAsync(TestDestination d, long at, string userAgent = Desktop) =>
        TrackAsync(EventTypes.Open, d, at, new JsonObject { ["ip"] = "192.0.2.7", ["useragent"] = userAgent, ["referer"] = null, ["headers"] = new JsonObject() });

    public Task ClickAsync(TestDestination d, long at, int link = 0) =>
        TrackAsync(EventTypes.Click, d, at, new JsonObject
        {
            ["ip"] = "2001:db8::1", ["useragent"] = Desktop, ["referer"] = null, ["headers"] = new JsonObject(),
            ["url"] = MailingScenario.Links[link], ["link"] = link,
        });

    public Task UnsubscribeAsync(TestDestination d, long at) => TrackAsync(EventTypes.Unsubscribe, d, at, new JsonObject { ["source"] = "link" });

    public Task DeliveryAsync(TestDestination d, long at, int attempts = 0) =>
        MtaAsync(EventTypes.Delivery, d, at, new JsonObject { ["attempts"] = attempts, ["code"] = 250, ["status"] = "2.0.0", ["description"] = "OK" });

    public Task RetryAsync(TestDestination d, long at) =>
        MtaAsync(EventTypes.Retry, d, at, new JsonObject { ["attempt"] = 0, ["code"] = 451, ["status"] = "4.7.1", ["description"] = "Try again later" });

    public Task FailureAsync(TestDestination d, long at) =>
        MtaAsync(EventTypes.Failure, d, at, new JsonObject { ["errortype"] = "hard", ["code"] = 550, ["status"] = "5.1.1", ["description"] = "No such user", ["state"] = "rcpt" });

    private async Task TrackAsync(string type, TestDestination d, long at, JsonObject facts) =>
        (await Writer.AppendAsync(new RawEvent(type, DestinationKey.Token, d.Token, null, at, facts), TestContext.Current.CancellationToken)).ShouldBe(AppendOutcome.Recorded);

    private async Task MtaAsync(string type, TestDestination d, long at, JsonObject facts) =>
        (await Writer.AppendAsync(new RawEvent(type, DestinationKey.MessageId, d.MessageId, client.AccountId, at, facts), TestContext.Current.CancellationToken)).ShouldBe(AppendOutcome.Recorded);

    /// <summary>Waits until the statistics consumer has counted everything in the journal.</summary>
    public async Task CountedAsync()
    {
        await app.Services.JournaledAsync(TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<StatisticsConsumer>().CatchUpAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
