using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// The one way to follow the journal in order: its head, a range after a position, and what a range holds now. Webhook
/// feeds, the statistics consumer, log-file downloads and replays all read through it.
/// <para>
/// The visibility promise, which every position-keeping reader relies on (webhook cursors, the statistics cursor,
/// log-file resume tokens <c>afterSeq</c>): <b>every row a reader is shown is at or below a mark below which every row
/// is final</b>, so a reader that remembers the last row it read, N, and later reads after N misses nothing. SQLite has
/// one writer, so rows commit in <c>seq</c> order and the mark is the journal's end. On PostgreSQL appends take no lock
/// and rows commit out of <c>seq</c> order; every read here is bounded by the visibility watermark
/// (<see cref="JournalHorizon"/>): no <c>seq</c> at or below it belongs to a transaction still running. A change to
/// how appends are ordered or read must keep this promise here, in this folder.
/// </para>
/// </summary>
internal sealed class JournalReader(IStorage storage, JournalHorizon horizon)
{
    private readonly bool _utf8 = storage.Dialect.Provider == StorageProvider.Sqlite;

    /// <summary>Whether reads are bounded by the watermark (PostgreSQL); on SQLite the journal's end is the mark.</summary>
    private readonly bool _bounded = storage.Dialect.Provider == StorageProvider.Postgres;

    /// <summary>The highest sequence number committed and visible (0 for an empty journal): a row, never a gap.</summary>
    public async Task<long> HeadAsync(CancellationToken ct)
    {
        if (!_bounded)
        {
            await using var s = await storage.OpenReadAsync(ct);
            return await s.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM journal", cancellationToken: ct));
        }

        // The last row at or below the mark, not the mark itself: a reader that waits for its position to reach the
        // head must not wait for a seq that was rolled back.
        var visible = await horizon.AdvanceAsync(ct);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE seq <= @visible", new { visible }, cancellationToken: ct));
    }

    /// <summary>Whether a visible row after <paramref name="position"/> is committed (one index seek).</summary>
    public async Task<bool> HasAfterAsync(long position, CancellationToken ct)
    {
        if (!_bounded)
        {
            await using var s = await storage.OpenReadAsync(ct);
            return await s.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(seq) FROM journal WHERE seq > @position", new { position }, cancellationToken: ct)) is not null;
        }

        var visible = await horizon.AdvanceAsync(ct);
        if (visible <= position) return false;
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(seq) FROM journal WHERE seq > @position AND seq <= @visible", new { position, visible }, cancellationToken: ct)) is not null;
    }

    /// <summary>The last row of a range as it stands now (null: none); reading after it later misses none of the range.</summary>
    public async Task<long?> RangeEndAsync(DbConnection c, JournalRange range, CancellationToken ct)
    {
        range = await BoundAsync(range, ct);
        var (where, p) = Where(range);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT MAX(seq) FROM journal {Hint(range)} WHERE {where}", p, cancellationToken: ct));
    }

    /// <summary>The rows of a range, in <c>seq</c> order, on a read connection of its own.</summary>
    public async Task<List<JournalEntry>> ReadAsync(JournalRange range, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await ReadAsync(c, null, range, ct);
    }

    /// <summary>The rows of a range, in <c>seq</c> order, on a read connection the caller holds (a page: give <see cref="JournalRange.Limit"/>).</summary>
    public Task<List<JournalEntry>> ReadAsync(DbConnection c, JournalRange range, CancellationToken ct) => ReadAsync(c, null, range, ct);

    /// <summary>
    /// The rows of a range, in <c>seq</c> order, inside a write transaction (counted or queued with it). On PostgreSQL
    /// up to the mark as last advanced: advancing it here would wait for this very transaction to end. Consumers that
    /// read this way look first with <see cref="HasAfterAsync"/> or <see cref="HeadAsync"/>, which advance it.
    /// </summary>
    public Task<List<JournalEntry>> ReadAsync(WriteContext w, JournalRange range) => ReadAsync(w.Connection, w.Transaction, range, CancellationToken.None);

    private async Task<List<JournalEntry>> ReadAsync(DbConnection c, DbTransaction? tx, JournalRange range, CancellationToken ct)
    {
        range = tx is null ? await BoundAsync(range, ct) : _bounded ? Bound(range, horizon.Value) : range;
        var rows = new List<JournalEntry>(Math.Min(range.Limit ?? 64, 1024));
        await using var reader = await c.ExecuteReaderAsync(Command(range, tx, ct));
        while (await reader.ReadAsync(ct)) rows.Add(Entry(reader, range.View));
        return rows;
    }

    /// <summary>
    /// Streams a range in <c>seq</c> order holding one row in memory, on a read connection of its own (a file of any
    /// size is read in constant memory).
    /// </summary>
    public async IAsyncEnumerable<JournalEntry> StreamAsync(JournalRange range, [EnumeratorCancellation] CancellationToken ct)
    {
        range = await BoundAsync(range, ct);
        await foreach (var entry in StreamBoundedAsync(range, ct)) yield return entry;
    }

    private async IAsyncEnumerable<JournalEntry> StreamBoundedAsync(JournalRange range, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        await using var reader = await c.ExecuteReaderAsync(Command(range, null, ct), CommandBehavior.SequentialAccess);
        while (await reader.ReadAsync(ct)) yield return Entry(reader, range.View);
    }

    /// <summary>Several ranges (one per record type, each on its own index) merged into one stream in <c>seq</c> order.</summary>
    public async IAsyncEnumerable<JournalEntry> MergeAsync(IReadOnlyList<JournalRange> ranges, [EnumeratorCancellation] CancellationToken ct)
    {
        // One mark for all ranges: merged under different marks, a row of one range could be passed by a later row of another.
        var visible = _bounded ? await horizon.AdvanceAsync(ct) : long.MaxValue;
        var streams = new List<IAsyncEnumerator<JournalEntry>>(ranges.Count);
        try
        {
            foreach (var range in ranges)
            {
                var stream = StreamBoundedAsync(_bounded ? Bound(range, visible) : range, ct).GetAsyncEnumerator(ct);
                streams.Add(stream);
                if (!await stream.MoveNextAsync())
                {
                    await stream.DisposeAsync();
                    streams.Remove(stream);
                }
            }

            while (streams.Count > 0)
            {
                var next = streams[0];
                foreach (var s in streams)
                {
                    if (s.Current.Seq < next.Current.Seq) next = s;
                }

                yield return next.Current;
                if (!await next.MoveNextAsync())
                {
                    await next.DisposeAsync();
                    streams.Remove(next);
                }
            }
        }
        finally
        {
            foreach (var s in streams) await s.DisposeAsync();
        }
    }

    /// <summary>
    /// The range up to the watermark on PostgreSQL (its own end if that is lower). A range that already ends at or below
    /// the mark as last advanced needs no round of queries (a webhook reads up to a head it was given).
    /// </summary>
    private async ValueTask<JournalRange> BoundAsync(JournalRange range, CancellationToken ct)
    {
        if (!_bounded) return range;
        if (range.UpTo is { } upTo && upTo <= horizon.Value) return range;
        return Bound(range, await horizon.AdvanceAsync(ct));
    }

    private static JournalRange Bound(JournalRange range, long visible) =>
        range.UpTo is { } upTo && upTo <= visible ? range : range with { UpTo = visible };

    private CommandDefinition Command(JournalRange range, DbTransaction? tx, CancellationToken ct)
    {
        var (where, p) = Where(range);
        var columns = range.View == JournalView.Counting
            ? "seq, type, mailing_id, destination_id, occurred, account_id"
            : range.WithTraceParent ? "seq, event_id, type, occurred, mailing_id, destination_id, payload, trace_parent"
            : "seq, event_id, type, occurred, mailing_id, destination_id, payload";
        var limit = range.Limit is null ? "" : " LIMIT @limit";
        return new CommandDefinition($"SELECT {columns} FROM journal {Hint(range)} WHERE {where} ORDER BY seq{limit}", p, tx, cancellationToken: ct);
    }

    private string Hint(JournalRange range) => range.Index is { } index ? storage.Dialect.UseIndex(index) : "";

    private (string Where, DynamicParameters Parameters) Where(JournalRange r)
    {
        var sql = new StringBuilder("seq > @after");
        var p = new DynamicParameters();
        p.Add("after", r.After);
        if (r.AccountId is { } account) { sql.Append(" AND account_id = @account"); p.Add("account", account); }
        if (r.UpTo is { } upTo) { sql.Append(" AND seq <= @upTo"); p.Add("upTo", upTo); }
        if (r.Type is { } type) { sql.Append(" AND type = @type"); p.Add("type", type); }
        if (r.Types is { } types) { sql.Append(" AND ").Append(storage.Dialect.InList("type", "@types")); p.Add("types", types); }
        if (r.OccurredFrom is { } from) { sql.Append(" AND occurred >= @occurredFrom"); p.Add("occurredFrom", from); }
        if (r.OccurredTo is { } to) { sql.Append(" AND occurred <= @occurredTo"); p.Add("occurredTo", to); }
        if (r.OccurredBefore is { } before) { sql.Append(" AND occurred < @occurredBefore"); p.Add("occurredBefore", before); }
        if (r.Limit is { } limit) p.Add("limit", limit);
        return (sql.ToString(), p);
    }

    private JournalEntry Entry(DbDataReader r, JournalView view)
    {
        if (view == JournalView.Counting)
        {
            return new JournalEntry(r.GetInt64(0), "", r.GetString(1), r.GetInt64(4), NullableInt64(r, 2), NullableInt64(r, 3), []) { AccountId = r.GetInt64(5) };
        }

        // Columns in order (a streamed reader reads each once). The payload as the UTF-8 the database holds (SQLite
        // hands its bytes over as they are): consumers parse it and never need it as a string.
        var seq = r.GetInt64(0);
        var eventId = r.GetString(1);
        var type = r.GetString(2);
        var occurred = r.GetInt64(3);
        var mailing = NullableInt64(r, 4);
        var destination = NullableInt64(r, 5);
        var payload = _utf8 ? r.GetFieldValue<byte[]>(6) : Encoding.UTF8.GetBytes(r.GetString(6));
        var traceParent = r.FieldCount > 7 && !r.IsDBNull(7) ? r.GetString(7) : null;
        return new JournalEntry(seq, eventId, type, occurred, mailing, destination, payload) { TraceParent = traceParent };
    }

    private static long? NullableInt64(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}

/// <summary>Which columns a read needs: everything, or only what counting needs (no payload, no event id; with the account).</summary>
internal enum JournalView
{
    Full,
    Counting,
}

/// <summary>
/// Rows after <see cref="After"/> (exclusive), optionally up to <see cref="UpTo"/>, of one account, of some types,
/// in a window of event time, at most <see cref="Limit"/>; <see cref="Index"/> names the index a large scan must use.
/// </summary>
internal sealed record JournalRange(long After)
{
    public long? UpTo { get; init; }
    public long? AccountId { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<string>? Types { get; init; }
    public long? OccurredFrom { get; init; }
    public long? OccurredTo { get; init; }
    public long? OccurredBefore { get; init; }
    public int? Limit { get; init; }
    public string? Index { get; init; }
    public JournalView View { get; init; } = JournalView.Full;

    /// <summary>Also read each row's stored trace context (<see cref="JournalEntry.TraceParent"/>; webhook delivery only).</summary>
    public bool WithTraceParent { get; init; }
}

/// <summary>
/// One journal row as its readers see it (a <see cref="JournalView.Counting"/> read leaves event id and payload empty;
/// only that view fills <see cref="AccountId"/>).
/// </summary>
internal sealed record JournalEntry(long Seq, string EventId, string Type, long Occurred, long? MailingId, long? DestinationId, byte[] Payload)
{
    public long AccountId { get; init; }

    /// <summary>The W3C trace context stored beside the event, when the range asked for it and there is one.</summary>
    public string? TraceParent { get; init; }
}
