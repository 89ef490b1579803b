using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// The visibility watermark of the journal on PostgreSQL: every <c>seq</c> at or below <see cref="Value"/> was drawn by
/// a transaction that has finished (committed or rolled back), so the rows at or below it that exist now are all the
/// rows there will ever be. Appends take no lock (<see cref="JournalAppendOrder"/>), so rows commit out of <c>seq</c>
/// order; readers that keep a position read only up to this mark (<see cref="JournalReader"/>) and miss none.
/// <para>
/// How it advances, one round of queries at a time per node: a candidate is L, the sequence's last value, read first,
/// and then X, a transaction id assigned to a tiny transaction of this class's own after L was read. Each appending
/// transaction has its id assigned before it draws a <c>seq</c>, so every <c>seq</c> up to L belongs to a transaction
/// whose id is below X. The candidate settles (the mark moves to L) once a snapshot's xmin is at least X: every
/// transaction below X has finished. (A snapshot's xmax is not used for X: it is one past the last transaction that
/// completed, and a transaction that got its id after that and is still running is in neither xmax nor the snapshot's
/// list.) A round waits up to <see cref="JournalHorizonOptions.VisibilityWait"/> for its candidate; while it waits
/// longer, later rounds look once each and take no new candidate (a long transaction costs one transaction id).
/// </para>
/// <para>
/// The cost: a long write transaction anywhere in the cluster holds the mark back until it ends (readers pause, appends
/// do not). The sequence must hand out values one at a time (<c>CACHE 1</c>, BIGSERIAL's default): a connection's cache
/// would hold values drawn before its transaction had an id. SQLite has one writer and needs none of this.
/// </para>
/// </summary>
internal sealed class JournalHorizon(IStorage storage, IOptions<JournalHorizonOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _value;
    private Task<long>? _round;
    private Task<long>? _next;
    private (long Last, ulong Xid)? _candidate;
    private string? _sequence;

    /// <summary>The mark as last advanced (never moves backwards).</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>
    /// Advances the mark as far as it can now and returns it. A round of queries already in flight may have read the
    /// sequence before the caller's own rows were committed: a caller that comes meanwhile waits for the next round,
    /// which all such callers share (at most one round in flight, one waiting).
    /// </summary>
    public Task<long> AdvanceAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_next is not null) return _next.WaitAsync(ct);
            if (_round is null || _round.IsCompleted) return (_round = RoundAsync()).WaitAsync(ct);
            return (_next = NextRoundAsync(_round)).WaitAsync(ct);
        }
    }

    private async Task<long> NextRoundAsync(Task previous)
    {
        await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        Task<long> round;
        lock (_lock)
        {
            _round = round = RoundAsync();
            _next = null;
        }

        return await round;
    }

    /// <summary>
    /// Checks that the journal's sequence hands out one value at a time; throws when it does not (a node must not read
    /// the journal with a watermark that can be wrong).
    /// </summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        await ResolveAsync(c, ct);
    }

    private async Task<long> RoundAsync()
    {
        await using var c = await storage.OpenReadAsync(CancellationToken.None);
        var sequence = _sequence ?? await ResolveAsync(c, CancellationToken.None);

        // The waiting candidate settles on the snapshot of this statement; the sequence's last value is the next one.
        var (lastValue, isCalled, xminText) = await c.QuerySingleAsync<(long, bool, string)>(
            $"SELECT last_value, is_called, pg_snapshot_xmin(pg_current_snapshot())::text FROM {sequence}");
        var last = isCalled ? lastValue : lastValue - 1;
        if (_candidate is { } waiting)
        {
            // Its round waited for it already: one look per round until it settles (a long transaction holds it).
            if (Xid(xminText) < waiting.Xid) return Value;
            Raise(waiting.Last);
            _candidate = null;
        }

        if (last <= Value) return Value;

        // A transaction of our own whose id comes after every id assigned before L was read; its commit needs no flush.
        ulong xid;
        await using (var tx = await c.BeginTransactionAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("SET LOCAL synchronous_commit = off", transaction: tx);
            xid = Xid(await c.ExecuteScalarAsync<string>("SELECT pg_current_xact_id()::text", transaction: tx) ?? "0");
            await tx.CommitAsync(CancellationToken.None);
        }

        // Appending transactions are short: waiting a moment for those that were running lets a reader see what was
        // committed just before it asked (a download right after an event has it).
        var started = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var xmin = Xid(await c.ExecuteScalarAsync<string>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text") ?? "0");
            if (xmin >= xid)
            {
                Raise(last);
                return Value;
            }

            if (time.GetElapsedTime(started) + pause > options.Value.VisibilityWait) break;
            await Task.Delay(pause, time);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(10).Ticks));
        }

        _candidate = (last, xid);
        return Value;
    }

    private async Task<string> ResolveAsync(DbConnection c, CancellationToken ct)
    {
        var (name, cache) = await c.QuerySingleAsync<(string?, long?)>(new CommandDefinition(
            "SELECT s::text, (SELECT seqcache FROM pg_sequence WHERE seqrelid = s) FROM (SELECT pg_get_serial_sequence('journal', 'seq')::regclass AS s) q",
            cancellationToken: ct));
        if (name is null) throw new InvalidOperationException("The journal's seq column has no sequence; the journal cannot be read.");
        if (cache != 1)
        {
            throw new InvalidOperationException(
                $"The journal's sequence {name} caches {cache} values per connection; the journal's visibility watermark needs CACHE 1 " +
                $"(run ALTER SEQUENCE {name} CACHE 1 and start again).");
        }

        return _sequence = name;
    }

    private void Raise(long to)
    {
        // Only rounds write the mark, one at a time; readers read it without the lock.
        if (to > Interlocked.Read(ref _value)) Interlocked.Exchange(ref _value, to);
    }

    private static ulong Xid(string text) => ulong.Parse(text, CultureInfo.InvariantCulture);
}
