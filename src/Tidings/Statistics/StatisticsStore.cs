using Dapper;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Statistics;

/// <summary>Counts of one metric: events, and destinations with at least one.</summary>
internal readonly record struct Counter(long Total, long Unique);

/// <summary>The statistics of a mailing: counters per metric, destinations with a known outcome, and dominant results.</summary>
internal sealed record MailingCounts(IReadOnlyDictionary<string, Counter> Metrics, long Settled, IReadOnlyDictionary<string, long> Dominant)
{
    public Counter this[string metric] => Metrics.GetValueOrDefault(metric);
}

/// <summary>Reads statistics: the counters the consumer maintains, or, for a time window, the journal's indexes.</summary>
internal sealed class StatisticsStore(IStorage storage, JournalStatistics journal)
{
    /// <summary>A mailing's statistics from the maintained counters (a few rows, whatever the mailing's size).</summary>
    public async Task<MailingCounts> MailingCountersAsync(long mailingId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var rows = (await c.QueryAsync<(string Metric, long Total, long Unique)>(
            "SELECT metric, total, unique_count FROM mailing_statistics WHERE mailing_id = @mailingId", new { mailingId })).ToList();
        var metrics = rows.Where(r => !r.Metric.StartsWith("dominant.", StringComparison.Ordinal)).ToDictionary(r => r.Metric, r => new Counter(r.Total, r.Unique));
        var dominant = rows.Where(r => r.Metric.StartsWith("dominant.", StringComparison.Ordinal)).ToDictionary(r => r.Metric["dominant.".Length..], r => r.Unique);
        return new MailingCounts(metrics, metrics.GetValueOrDefault(MailingCounters.Settled).Unique, dominant);
    }

    /// <summary>
    /// Statistics of the events of a mailing or destination that happened in a window, computed from the journal's
    /// (mailing, type, occurred, destination) index: the cost grows with the number of events of the mailing in the window.
    /// </summary>
    public async Task<MailingCounts> WindowAsync(EventScope scope, TimeWindow window, CancellationToken ct)
    {
        var counts = await journal.CountAsync(scope, window, MailingCounters.ForJournal, ct);
        return new MailingCounts(counts.PerMetric.ToDictionary(r => r.Metric, r => new Counter(r.Total, r.Unique)), counts.Settled,
            counts.Dominant.Where(d => d.Rank > 0).ToDictionary(d => MailingCounters.DominantByRank[d.Rank], d => d.Count));
    }

    /// <summary>The maintained counts of one destination (null when it has had no result yet).</summary>
    public async Task<StatisticsConsumer.DestinationState?> DestinationResultsAsync(long destinationId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StatisticsConsumer.DestinationState>(
            "SELECT destination_id AS DestinationId, mailing_id AS MailingId, deliveries, errors, impressions, clicks, unsubscribes, abuses, retries, dominant " +
            "FROM destination_results WHERE destination_id = @destinationId", new { destinationId });
    }

    /// <summary>How many different links a destination clicked (in a window).</summary>
    public Task<long> DistinctLinksClickedAsync(EventScope destination, TimeWindow window, CancellationToken ct) =>
        journal.DistinctLinksClickedAsync(destination, window, ct);

    /// <summary>
    /// Events of one metric in a scope and window, oldest first. <paramref name="unique"/>: only the first click per
    /// destination and link, or the first unsubscribe per destination.
    /// </summary>
    public Task<(IReadOnlyList<EventRow> Items, long? Total)> ListAsync(EventScope scope, string metric, TimeWindow window, bool unique, long skip, long take, bool withTotal, CancellationToken ct)
    {
        var firstPer = !unique ? FirstPer.None : metric switch
        {
            MailingCounters.Clicks => FirstPer.DestinationAndLink,
            MailingCounters.Unsubscribes => FirstPer.Destination,
            _ => FirstPer.None,
        };
        return journal.ListAsync(scope, MailingCounters.TypesOf(metric), window, firstPer, skip, take, withTotal, ct);
    }
}
