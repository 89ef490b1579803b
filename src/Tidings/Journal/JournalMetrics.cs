using System.Diagnostics.Metrics;
using Dapper;
using Tidings.Storage;
using Tidings.Telemetry;

namespace Tidings.Journal;

/// <summary>
/// The journal on the <c>Tidings</c> meter: rows appended (counted when their transaction commits), and how far each
/// reader (consumer cursor) is behind the journal's end. The lag is read from the store at most every
/// <see cref="LagRefresh"/>, when a scrape asks for it, so frequent scrapes cost no queries.
/// </summary>
internal sealed class JournalMetrics : ITidingsInstruments
{
    /// <summary>How old the lag figures may be before a scrape reads them again (two indexed queries).</summary>
    public static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(5);

    private readonly IStorage _storage;
    private readonly TimeProvider _time;
    private readonly Counter<long> _appends;
    private readonly Lock _lock = new();
    private Measurement<long>[] _lag = [];
    private long? _lagReadAt; // timestamp of the last refresh
    private Task? _refreshing;

    public JournalMetrics(IMeterFactory meters, IStorage storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        var meter = meters.Create(TidingsDiagnostics.Name);
        _appends = meter.CreateCounter<long>("tidings.journal.appends", "{record}", "Journal records appended (in committed transactions).");
        meter.CreateObservableGauge("tidings.journal.reader.lag", ReaderLag, "{record}",
            "Journal records after a reader's position, by reader (per-item cursors such as webhook:7 as their slowest, reader=\"webhook\").");
        storage.JournalAppendCommitted += rows => _appends.Add(rows);
    }

    private IEnumerable<Measurement<long>> ReaderLag()
    {
        Task? refresh = null;
        lock (_lock)
        {
            if (_refreshing is null && (_lagReadAt is not { } readAt || _time.GetElapsedTime(readAt) >= LagRefresh))
            {
                _lagReadAt = _time.GetTimestamp();
                _refreshing = refresh = Task.Run(RefreshLagAsync);
            }
            else
            {
                refresh = _refreshing;
            }
        }

        // A scrape waits a little for fresh figures; a slow store only makes it report the previous ones.
        refresh?.Wait(TimeSpan.FromSeconds(1));
        return Volatile.Read(ref _lag);
    }

    private async Task RefreshLagAsync()
    {
        try
        {
            await using var c = await _storage.OpenReadAsync();
            var head = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM journal");
            var cursors = await c.QueryAsync<(string Name, long Seq)>("SELECT name, seq FROM consumer_cursors");
            var lag = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (name, seq) in cursors)
            {
                var reader = ReaderOf(name);
                lag[reader] = Math.Max(lag.GetValueOrDefault(reader), Math.Max(0, head - seq));
            }

            Volatile.Write(ref _lag, [.. lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("reader", l.Key)))]);
        }
        catch (Exception)
        {
            // The previous figures stay; the next scrape after the refresh interval tries again.
        }
        finally
        {
            lock (_lock) _refreshing = null;
        }
    }

    /// <summary>
    /// The reader a cursor belongs to: its name, except that per-item cursors (<c>webhook:7</c>) count as one reader
    /// (<c>webhook</c>, the slowest of them), which keeps the label's values few; per-webhook figures are the backlog.
    /// </summary>
    internal static string ReaderOf(string cursorName)
    {
        var colon = cursorName.LastIndexOf(':');
        return colon > 0 && colon < cursorName.Length - 1 && cursorName.AsSpan(colon + 1).ContainsAnyExceptInRange('0', '9') is false
            ? cursorName[..colon]
            : cursorName;
    }
}
