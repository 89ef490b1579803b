using System.Data.Common;
using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Lookups consumers make beside their ordered reads: one event by id, how many rows a range holds, and, for a
/// consumer's own rows that point into the journal by <c>seq</c>, the journal record each points to. The consumer
/// passes the SQL of its own tables; the journal's part stays here.
/// </summary>
internal sealed class JournalLookups(IStorage storage)
{
    /// <summary>An account's event by its id: its seq and payload (null when it is not, or no longer, in the journal).</summary>
    public async Task<(long Seq, string Payload)?> FindEventAsync(WriteContext w, long accountId, string eventId)
    {
        var found = (await w.Connection.QueryAsync<(long Seq, string Payload)>(
            "SELECT seq, payload FROM journal WHERE event_id = @eventId AND account_id = @accountId", new { eventId, accountId }, w.Transaction)).ToList();
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>How many rows of an account, of some types, happened in [from, to] (Unix ms).</summary>
    public Task<long> CountAsync(WriteContext w, long accountId, long from, long to, IReadOnlyList<string> types) =>
        w.Connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM journal WHERE account_id = @accountId AND occurred >= @from AND occurred <= @to AND {storage.Dialect.InList("type", "@types")}",
            new { accountId, from, to, types }, w.Transaction);

    /// <summary>SQL condition: the journal record that <paramref name="seqColumn"/> points to still exists (retention removes old ones).</summary>
    public static string RecordKept(string seqColumn) => $"EXISTS (SELECT 1 FROM journal j WHERE j.seq = {seqColumn})";

    /// <summary>
    /// A consumer's query with the journal record each of its rows points to: <c>SELECT {own columns}, j.type, j.occurred,
    /// j.payload, j.trace_parent AS TraceParent FROM {own from} LEFT JOIN journal j ON j.seq = {seq column} {own where,
    /// order, limit}</c>. The journal columns are null for a row whose record is gone.
    /// </summary>
    public static Task<IEnumerable<T>> WithRecordsAsync<T>(DbConnection c, string ownColumns, string ownFrom, string seqColumn, string ownRest, object param, CancellationToken ct) =>
        c.QueryAsync<T>(new CommandDefinition(
            $"SELECT {ownColumns}, j.type, j.occurred, j.payload, j.trace_parent AS TraceParent FROM {ownFrom} LEFT JOIN journal j ON j.seq = {seqColumn} {ownRest}", param, cancellationToken: ct));
}
