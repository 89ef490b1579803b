using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// The journal's side of retention: rows are removed in bounded windows of <c>seq</c>, and never at or beyond the
/// lowest consumer cursor (<see cref="ConsumerCursors"/>), so no consumer loses a row it has not passed.
/// </summary>
internal sealed class JournalRetention(IStorage storage, JournalHorizon horizon, IEnumerable<IJournalRetentionHook> hooks)
{
    /// <summary>
    /// Rows at or beyond this must stay (long.MaxValue when no consumer keeps a cursor). On PostgreSQL never beyond the
    /// visibility watermark: the sweeper passes windows for good, and a row that commits late must not be passed.
    /// </summary>
    public async Task<long> LimitAsync(CancellationToken ct)
    {
        // Holds that lapse with time (a webhook disabled past its hold) are brought up to date first.
        foreach (var hook in hooks) await hook.BeforeSweepAsync(ct);
        var limit = await ConsumerCursors.LowestAsync(storage, ct) ?? long.MaxValue;
        return storage.Dialect.Provider == StorageProvider.Postgres ? Math.Min(limit, await horizon.AdvanceAsync(ct) + 1) : limit;
    }

    /// <summary>
    /// Ends a sweep: consumers that may have lost records learn of it (also after a sweep that deleted nothing, since
    /// another sweep may have removed what they wanted).
    /// </summary>
    public async Task SweptAsync(long deleted, CancellationToken ct)
    {
        foreach (var hook in hooks) await hook.AfterSweepAsync(deleted, ct);
    }

    /// <summary>The next window of at most <paramref name="batch"/> rows after <paramref name="position"/>: its last seq, its oldest and newest event time.</summary>
    public async Task<(long? End, long? Oldest, long? Newest)> WindowAsync(long position, long limit, int batch, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleAsync<(long?, long?, long?)>(new CommandDefinition(
            "SELECT MAX(seq), MIN(occurred), MAX(occurred) FROM (SELECT seq, occurred FROM journal WHERE seq > @position AND seq < @limit ORDER BY seq LIMIT @batch) w",
            new { position, limit, batch }, cancellationToken: ct));
    }

    /// <summary>Deletes the rows of some types in (from, end] whose event time is before <paramref name="cutoff"/>.</summary>
    public Task<int> DeleteAsync(long from, long end, long cutoff, IReadOnlyList<string> types, CancellationToken ct) =>
        storage.WriteAsync(w =>
        {
            w.LeavesProfilesAlone();
            return w.Connection.ExecuteAsync(
                $"DELETE FROM journal WHERE seq > @from AND seq <= @end AND occurred < @cutoff AND {storage.Dialect.InList("type", "@types")}",
                new { from, end, cutoff, types }, w.Transaction);
        }, ct);
}
