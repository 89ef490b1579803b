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

/// <summary>Events of one journal type in one UTC hour (start, Unix ms): how many, and how many were their destination's first of their metric.</summary>
internal readonly record struct HourCount(long Hour, string Type, long Total, long Unique);

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

    /// <summary>The maintained counters of several mailings at once (one query); a mailing without events has none.</summary>
    public async Task<IReadOnlyDictionary<long, MailingCounts>> MailingCountersAsync(IReadOnlyList<long> mailingIds, CancellationToken ct)
    {
        if (mailingIds.Count == 0) return new Dictionary<long, MailingCounts>();
        await using var c = await storage.OpenReadAsync(ct);
        var rows = await c.QueryAsync<(long Mailing, string Metric, long Total, long Unique)>(
            $"SELECT mailing_id, metric, total, unique_count FROM mailing_statistics WHERE {storage.Dialect.InList("mailing_id", "@mailingIds")}", new { mailingIds });
        return rows.GroupBy(r => r.Mailing).ToDictionary(g => g.Key, g =>
        {
            var metrics = g.Where(r => !r.Metric.StartsWith("dominant.", StringComparison.Ordinal)).ToDictionary(r => r.Metric, r => new Counter(r.Total, r.Unique));
            var dominant = g.Where(r => r.Metric.StartsWith("dominant.", StringComparison.Ordinal)).ToDictionary(r => r.Metric["dominant.".Length..], r => r.Unique);
            return new MailingCounts(metrics, metrics.GetValueOrDefault(MailingCounters.Settled).Unique, dominant);
        });
    }

    /// <summary>A mailing's hourly aggregates from <paramref name="fromMs"/> on (null: all), oldest first: a row per hour and type that had events.</summary>
    public async Task<IReadOnlyList<HourCount>> MailingHoursAsync(long accountId, long mailingId, long? fromMs, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var rows = await c.QueryAsync<(long Hour, string Type, long Total, long Unique)>(
            "SELECT hour, type, total, unique_count FROM statistics_hours WHERE account_id = @accountId AND mailing_id = @mailingId AND hour >= @from ORDER BY hour",
            new { accountId, mailingId, from = fromMs is { } f ? HourlyCounts.HourOf(f) : long.MinValue });
        return rows.Select(r => new HourCount(r.Hour, r.Type, r.Total, r.Unique)).ToList();
    }

    /// <summary>The account's hourly aggregates summed over its mailings (and events of none), from <paramref name="fromMs"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<HourCount>> AccountHoursAsync(long accountId, long? fromMs, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var rows = await c.QueryAsync<(long Hour, string Type, long Total, long Unique)>(
            "SELECT hour, type, CAST(SUM(total) AS BIGINT), CAST(SUM(unique_count) AS BIGINT) FROM statistics_hours " +
            "WHERE account_id = @accountId AND hour >= @from GROUP BY hour, type ORDER BY hour",
            new { accountId, from = fromMs is { } f ? HourlyCounts.HourOf(f) : long.MinValue });
        return rows.Select(r => new HourCount(r.Hour, r.Type, r.Total, r.Unique)).ToList();
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
