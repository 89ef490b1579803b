using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>A window of event times (Unix ms, both ends inclusive); null ends are open.</summary>
internal sealed record TimeWindow(long? FromMs, long? ToMs)
{
    public bool IsOpen => FromMs is null && ToMs is null;

    internal string Sql => (FromMs is null ? "" : " AND occurred >= @fromMs") + (ToMs is null ? "" : " AND occurred <= @toMs");

    internal void AddTo(DynamicParameters p)
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
internal sealed record EventScope(string Sql, long Id, long? MailingId, bool IsAccount)
{
    public static EventScope Mailing(long id) => new("mailing_id = @id", id, null, false);

    public static EventScope Destination(long id, long mailingId) => new("mailing_id = @scopeMailing AND destination_id = @id", id, mailingId, false);

    public static EventScope Account(long id) => new("account_id = @id", id, null, true);

    internal void AddTo(DynamicParameters p)
    {
        p.Add("id", Id);
        if (MailingId is { } m) p.Add("scopeMailing", m);
    }
}

/// <summary>One journal record of an event list.</summary>
internal sealed class EventRow
{
    public long Seq { get; set; }
    public string Type { get; set; } = "";
    public long Occurred { get; set; }
    public long MailingId { get; set; }
    public long DestinationId { get; set; }
    public string Payload { get; set; } = "{}";
}

/// <summary>
/// What statistics count, as the journal's queries need it: the metric and dominant-result rank of each counted type,
/// and the types that settle a destination (a delivery or an error).
/// </summary>
internal sealed record CountedTypes(IReadOnlyList<(string Type, string Metric)> Metrics, IReadOnlyList<(string Type, int Rank)> Ranks, IReadOnlyList<string> Settling);

/// <summary>Counts of a scope and window straight from the journal: per metric, per dominant rank, and settled destinations.</summary>
internal sealed record WindowCounts(IReadOnlyList<(string Metric, long Total, long Unique)> PerMetric, IReadOnlyList<(long Rank, long Count)> Dominant, long Settled);

/// <summary>
/// Statistics of a time window, computed from the journal's (mailing, type, occurred, destination) index: the cost
/// grows with the number of events of the scope in the window. (Without a window, the statistics consumer's counters
/// answer in a few rows.)
/// </summary>
internal sealed class JournalStatistics(IStorage storage)
{
    public async Task<WindowCounts> CountAsync(EventScope scope, TimeWindow window, CountedTypes counted, CancellationToken ct)
    {
        var p = new DynamicParameters();
        scope.AddTo(p);
        window.AddTo(p);
        var metricCase = "CASE type " + string.Join(" ", counted.Metrics.Select(m => $"WHEN '{m.Type}' THEN '{m.Metric}'")) + " END";
        var rankCase = "CASE type " + string.Join(" ", counted.Ranks.Select(r => $"WHEN '{r.Type}' THEN {r.Rank}")) + " ELSE 0 END";
        var where = $"{scope.Sql} AND type IN ({TypeList(counted.Metrics.Select(m => m.Type))}){window.Sql}";
        await using var c = await storage.OpenReadAsync(ct);
        var perMetric = await c.QueryAsync<(string Metric, long Total, long Unique)>(
            $"SELECT metric, CAST(SUM(n) AS BIGINT), COUNT(*) FROM (SELECT destination_id, {metricCase} AS metric, COUNT(*) AS n FROM journal WHERE {where} " +
            $"GROUP BY destination_id, {metricCase}) per_destination GROUP BY metric", p);
        var dominant = await c.QueryAsync<(long Rank, long Count)>(
            $"SELECT r, COUNT(*) FROM (SELECT destination_id, MAX({rankCase}) AS r FROM journal WHERE {where} GROUP BY destination_id) per_destination GROUP BY r", p);
        var settled = await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT destination_id) FROM journal WHERE {scope.Sql} AND type IN ({TypeList(counted.Settling)}){window.Sql}", p);
        return new WindowCounts(perMetric.ToList(), dominant.ToList(), settled);
    }

    /// <summary>How many different links a destination clicked (in a window).</summary>
    public async Task<long> DistinctLinksClickedAsync(EventScope destination, TimeWindow window, CancellationToken ct)
    {
        var p = new DynamicParameters();
        destination.AddTo(p);
        window.AddTo(p);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT {LinkExpression()}) FROM journal WHERE {destination.Sql} AND type = '{EventTypes.Click}'{window.Sql}", p);
    }

    /// <summary>
    /// Events of some types in a scope and window, oldest first. <paramref name="firstPer"/>: only the first event per
    /// destination (<see cref="FirstPer.Destination"/>) or per destination and link (<see cref="FirstPer.DestinationAndLink"/>).
    /// </summary>
    public async Task<(IReadOnlyList<EventRow> Items, long? Total)> ListAsync(
        EventScope scope, IEnumerable<string> types, TimeWindow window, FirstPer firstPer, long skip, long take, bool withTotal, CancellationToken ct)
    {
        var p = new DynamicParameters();
        scope.AddTo(p);
        p.Add("skip", skip);
        p.Add("take", take);
        window.AddTo(p);
        var where = $"{scope.Sql} AND type IN ({TypeList(types)}){window.Sql}";
        var from = firstPer switch
        {
            FirstPer.Destination => $"journal WHERE seq IN (SELECT MIN(seq) FROM journal WHERE {where} GROUP BY destination_id)",
            FirstPer.DestinationAndLink => $"journal WHERE seq IN (SELECT MIN(seq) FROM journal WHERE {where} GROUP BY destination_id, {LinkExpression()})",
            _ => $"journal WHERE {where}",
        };

        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<EventRow>(
            $"SELECT seq, type, occurred, mailing_id AS MailingId, destination_id AS DestinationId, payload FROM {from} ORDER BY occurred, seq LIMIT @take OFFSET @skip", p)).ToList();
        long? total = withTotal ? await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {from}", p) : null;
        return (items, total);
    }

    /// <summary>
    /// Journal types as an SQL list for <c>IN (…)</c>, written out: they are fixed names, and Dapper does not expand a
    /// list parameter for PostgreSQL (Npgsql takes it as one array).
    /// </summary>
    private static string TypeList(IEnumerable<string> types) => string.Join(", ", types.Select(t => $"'{t}'"));

    /// <summary>The original URL of a click, from its payload.</summary>
    private string LinkExpression() => storage.Dialect.Provider == StorageProvider.Postgres
        ? "(payload::jsonb ->> 'url')"
        : "json_extract(payload, '$.url')";
}

/// <summary>Which events of a list count as unique.</summary>
internal enum FirstPer
{
    None,
    Destination,
    DestinationAndLink,
}
