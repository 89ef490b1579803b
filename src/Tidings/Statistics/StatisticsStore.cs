using Dapper;
using Tidings.Storage;

namespace Tidings.Statistics;

/// <summary>A window of event times (Unix ms, both ends inclusive); null ends are open.</summary>
public sealed record TimeWindow(long? FromMs, long? ToMs)
{
    public bool IsOpen => FromMs is null && ToMs is null;

    public string Sql => (FromMs is null ? "" : " AND occurred >= @fromMs") + (ToMs is null ? "" : " AND occurred <= @toMs");

    public void AddTo(DynamicParameters p)
    {
        if (FromMs is { } f) p.Add("fromMs", f);
        if (ToMs is { } t) p.Add("toMs", t);
    }
}

/// <summary>
/// Which events a list or a statistic is about: a mailing's, a destination's or the whole account's. A destination's
/// events are found through its mailing's index (<c>ix_journal_mailing</c>, which covers destination_id): the journal
/// keeps no index by destination, whose random inserts cost every event append more than anything else.
/// </summary>
public sealed record EventScope(string Sql, long Id, long? MailingId, bool IsAccount)
{
    public static EventScope Mailing(long id) => new("mailing_id = @id", id, null, false);

    public static EventScope Destination(long id, long mailingId) => new("mailing_id = @scopeMailing AND destination_id = @id", id, mailingId, false);

    public static EventScope Account(long id) => new("account_id = @id", id, null, true);

    public void AddTo(DynamicParameters p)
    {
        p.Add("id", Id);
        if (MailingId is { } m) p.Add("scopeMailing", m);
    }
}

/// <summary>Counts of one metric: events, and destinations with at least one.</summary>
public readonly record struct Counter(long Total, long Unique);

/// <summary>The statistics of a mailing: counters per metric, destinations with a known outcome, and dominant results.</summary>
public sealed record MailingCounts(IReadOnlyDictionary<string, Counter> Metrics, long Settled, IReadOnlyDictionary<string, long> Dominant)
{
    public Counter this[string metric] => Metrics.GetValueOrDefault(metric);
}

/// <summary>One journal record of an event list.</summary>
public sealed class EventRow
{
    public long Seq { get; set; }
    public string Type { get; set; } = "";
    public long Occurred { get; set; }
    public long MailingId { get; set; }
    public long DestinationId { get; set; }
    public string Payload { get; set; } = "{}";
}

/// <summary>Reads statistics: the counters the consumer maintains, or, for a time window, the journal's indexes.</summary>
public sealed class StatisticsStore(IStorage storage)
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
        var p = new DynamicParameters();
        scope.AddTo(p);
        window.AddTo(p);
        var where = $"{scope.Sql} AND type IN ({MailingCounters.SqlList(MailingCounters.CountedTypes)}){window.Sql}";
        await using var c = await storage.OpenReadAsync(ct);
        var perMetric = await c.QueryAsync<(string Metric, long Total, long Unique)>(
            $"SELECT metric, CAST(SUM(n) AS BIGINT), COUNT(*) FROM (SELECT destination_id, {MailingCounters.MetricCase()} AS metric, COUNT(*) AS n FROM journal WHERE {where} " +
            $"GROUP BY destination_id, {MailingCounters.MetricCase()}) per_destination GROUP BY metric", p);
        var dominant = await c.QueryAsync<(long Rank, long Count)>(
            $"SELECT r, COUNT(*) FROM (SELECT destination_id, MAX({MailingCounters.RankCase()}) AS r FROM journal WHERE {where} GROUP BY destination_id) per_destination GROUP BY r", p);
        var settling = MailingCounters.SqlList(MailingCounters.TypesOf(MailingCounters.Deliveries).Concat(MailingCounters.TypesOf(MailingCounters.Errors)));
        var settled = await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT destination_id) FROM journal WHERE {scope.Sql} AND type IN ({settling}){window.Sql}", p);
        return new MailingCounts(perMetric.ToDictionary(r => r.Metric, r => new Counter(r.Total, r.Unique)), settled,
            dominant.Where(d => d.Rank > 0).ToDictionary(d => MailingCounters.DominantByRank[d.Rank], d => d.Count));
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
    public async Task<long> DistinctLinksClickedAsync(EventScope destination, TimeWindow window, CancellationToken ct)
    {
        var p = new DynamicParameters();
        destination.AddTo(p);
        window.AddTo(p);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT {LinkExpression()}) FROM journal WHERE {destination.Sql} AND type = 'click'{window.Sql}", p);
    }

    /// <summary>
    /// Events of one metric in a scope and window, oldest first. <paramref name="unique"/>: only the first click per
    /// destination and link, or the first unsubscribe per destination.
    /// </summary>
    public async Task<(IReadOnlyList<EventRow> Items, long? Total)> ListAsync(EventScope scope, string metric, TimeWindow window, bool unique, long skip, long take, bool withTotal, CancellationToken ct)
    {
        var p = new DynamicParameters();
        scope.AddTo(p);
        p.Add("skip", skip);
        p.Add("take", take);
        window.AddTo(p);
        var where = $"{scope.Sql} AND type IN ({MailingCounters.SqlList(MailingCounters.TypesOf(metric))}){window.Sql}";
        string from;
        if (unique && metric is MailingCounters.Clicks or MailingCounters.Unsubscribes)
        {
            var group = metric == MailingCounters.Clicks ? $"destination_id, {LinkExpression()}" : "destination_id";
            from = $"journal WHERE seq IN (SELECT MIN(seq) FROM journal WHERE {where} GROUP BY {group})";
        }
        else
        {
            from = $"journal WHERE {where}";
        }

        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<EventRow>(
            $"SELECT seq, type, occurred, mailing_id AS MailingId, destination_id AS DestinationId, payload FROM {from} ORDER BY occurred, seq LIMIT @take OFFSET @skip", p)).ToList();
        long? total = withTotal ? await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {from}", p) : null;
        return (items, total);
    }

    /// <summary>The original URL of a click, from its payload.</summary>
    private string LinkExpression() => storage.Dialect.Provider == StorageProvider.Postgres
        ? "(payload::jsonb ->> 'url')"
        : "json_extract(payload, '$.url')";
}
