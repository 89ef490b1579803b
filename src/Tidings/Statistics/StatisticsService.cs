using Tidings.Journal;
using Tidings.Mailings;
using Tidings.Rejections;

namespace Tidings.Statistics;

/// <summary>A mailing's statistics: its number of destinations and the counts of its results.</summary>
internal sealed record MailingStatistics(long Destinations, MailingCounts Counts);

/// <summary>One message's result counts per counter (<see cref="MailingCounters.All"/>) and the different links it clicked.</summary>
internal sealed record DestinationStatistics(long DestinationId, IReadOnlyDictionary<string, long> Counts, long DistinctLinksClicked);

/// <summary>A mailing with its maintained counters (none yet: empty counts).</summary>
internal sealed record MailingSummary(MailingRecord Mailing, MailingCounts Counts);

/// <summary>A mailing and its hourly aggregates in a window.</summary>
internal sealed record MailingHours(MailingRecord Mailing, IReadOnlyList<HourCount> Hours);

/// <summary>
/// Marketing Suite statistics and event lists for every front end. A window is given by its first and last moment
/// (Unix ms, either optional); the last counts to the end of its second, as the API's times are whole seconds.
/// Without a window a mailing or destination is read from the maintained counters, with one from the journal.
/// </summary>
internal sealed class StatisticsService(MailingStore mailings, StatisticsStore store, EventRates rates)
{
    private static readonly MailingCounts NoCounts = new(new Dictionary<string, Counter>(), 0, new Dictionary<string, long>());
    public const string NoDestination = "No destination with supplied ID";

    /// <summary>The window from <paramref name="beginMs"/> to the end of the second of <paramref name="endMs"/>, both inclusive.</summary>
    public static TimeWindow Window(long? beginMs, long? endMs) => new(beginMs, endMs is { } t ? t + 999 : null);

    public async Task<MailingStatistics> MailingStatisticsAsync(long accountId, string mailingId, long? beginMs, long? endMs, CancellationToken ct)
    {
        var window = Window(beginMs, endMs);
        var m = await mailings.RequireAsync(accountId, mailingId, ct);
        var counts = window.IsOpen
            ? await store.MailingCountersAsync(m.Id, ct)
            : await store.WindowAsync(EventScope.Mailing(m.Id), window, ct);
        return new MailingStatistics(m.Destinations, counts);
    }

    /// <summary>A page of the account's mailings, newest first, each with its totals and uniques from the maintained counters.</summary>
    public async Task<(IReadOnlyList<MailingSummary> Items, long Total)> MailingsAsync(long accountId, long offset, int take, CancellationToken ct)
    {
        var (items, total) = await mailings.NewestAsync(accountId, offset, take, ct);
        var counts = await store.MailingCountersAsync(items.Select(m => m.Id).ToList(), ct);
        return (items.Select(m => new MailingSummary(m, counts.GetValueOrDefault(m.Id, NoCounts))).ToList(), total);
    }

    /// <summary>
    /// The account's mailing (or a rejection: none such in the account) with its hourly aggregates from
    /// <paramref name="fromMs"/> on (null: all); these outlive journal retention.
    /// </summary>
    public async Task<MailingHours> MailingHoursAsync(long accountId, string mailingId, long? fromMs, CancellationToken ct)
    {
        var m = await mailings.RequireAsync(accountId, mailingId, ct);
        return new MailingHours(m, await store.MailingHoursAsync(accountId, m.Id, fromMs, ct));
    }

    /// <summary>
    /// The account's events per UTC hour and journal type from <paramref name="fromMs"/> on (null: all), from the hourly
    /// aggregates: every event the statistics consumer has counted, of any mailing or none, including those journal
    /// retention has removed since.
    /// </summary>
    public Task<IReadOnlyList<HourCount>> AccountHoursAsync(long accountId, long? fromMs, CancellationToken ct) =>
        store.AccountHoursAsync(accountId, fromMs, ct);

    /// <summary>The current second (Unix seconds) of the live counts.</summary>
    public long LiveSecond => rates.Now;

    /// <summary>How many of the account's events this node counted in a second (of the last minute): memory only, no query.</summary>
    public long LiveCount(long accountId, long second) => rates.In(accountId, second);

    /// <summary>One message's statistics (numeric id or message id); the different links clicked are counted only when it clicked.</summary>
    public async Task<DestinationStatistics> DestinationStatisticsAsync(long accountId, string destinationId, long? beginMs, long? endMs, CancellationToken ct)
    {
        var window = Window(beginMs, endMs);
        var d = await RequireDestinationAsync(accountId, destinationId, ct);
        Func<string, long> count;
        if (window.IsOpen)
        {
            var results = await store.DestinationResultsAsync(d.Id, ct);
            count = metric => results?.Count(metric) ?? 0;
        }
        else
        {
            var counts = await store.WindowAsync(EventScope.Destination(d.Id, d.MailingId), window, ct);
            count = metric => counts[metric].Total;
        }

        var links = count(MailingCounters.Clicks) > 0 ? await store.DistinctLinksClickedAsync(EventScope.Destination(d.Id, d.MailingId), window, ct) : 0;
        return new DestinationStatistics(d.Id, MailingCounters.All.ToDictionary(m => m, count), links);
    }

    /// <summary>The events of the whole account.</summary>
    public static EventScope AccountScope(long accountId) => EventScope.Account(accountId);

    /// <summary>The events of the account's mailing, or a rejection saying there is no such mailing.</summary>
    public async Task<EventScope> MailingScopeAsync(long accountId, string mailingId, CancellationToken ct) =>
        EventScope.Mailing((await mailings.RequireAsync(accountId, mailingId, ct)).Id);

    /// <summary>The events of one message (numeric id or message id), or a rejection saying there is none.</summary>
    public async Task<EventScope> DestinationScopeAsync(long accountId, string destinationId, CancellationToken ct)
    {
        var d = await RequireDestinationAsync(accountId, destinationId, ct);
        return EventScope.Destination(d.Id, d.MailingId);
    }

    /// <summary>
    /// A page of the events of one list (deliveries, impressions, clicks, errors, unsubscribes or abuses) in a scope and
    /// window, oldest first.
    /// <paramref name="unique"/>: only the first click per destination and link, or the first unsubscribe per destination.
    /// </summary>
    public Task<(IReadOnlyList<EventRow> Items, long? Total)> ListAsync(
        EventScope scope, string list, long? beginMs, long? endMs, bool unique, long offset, long take, bool withTotal, CancellationToken ct) =>
        store.ListAsync(scope, list, Window(beginMs, endMs), unique, offset, take, withTotal, ct);

    private async Task<DestinationRecord> RequireDestinationAsync(long accountId, string id, CancellationToken ct) =>
        await mailings.FindDestinationAsync(accountId, id, ct) ?? throw new RequestRejectedException(NoDestination);
}
