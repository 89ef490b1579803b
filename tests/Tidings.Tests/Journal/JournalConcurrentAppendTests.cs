using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Npgsql;
using Tidings.Journal;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Journal;

/// <summary>
/// Appenders on connections of their own, with no lock between them, commit out of <c>seq</c> order (some hold their
/// transaction open a few ms, some roll back); readers follow the journal by position meanwhile. Through the
/// watermark every reader reads every committed row exactly once; without it, readers skip rows.
/// </summary>
public sealed class JournalConcurrentAppendTests(JournalDatabase db) : IClassFixture<JournalDatabase>
{
    private const int Appenders = 8;
    private const int Page = 500;

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Readers_through_the_watermark_read_every_committed_row_once_while_appends_commit_out_of_order()
    {
        const long target = 100_000;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = cts.Token;
        var start = await MaxSeqAsync();
        var appended = new TaskCompletionSource();
        var rolledBack = 0L;
        var appenders = Task.WhenAll(Enumerable.Range(0, Appenders).Select(i => AppendUntilAsync(i, () => CommittedCount >= target, () => Interlocked.Increment(ref rolledBack), ct)));
        _ = appenders.ContinueWith(_ => appended.TrySetResult(), TaskScheduler.Default);

        // A page at a time after the last row read (the statistics consumer's way).
        var paging = FollowAsync(appended.Task, start, async cursor =>
        {
            var rows = await db.Reader.ReadAsync(new JournalRange(cursor) { Limit = Page }, ct);
            return (rows.Select(r => r.Seq).ToList(), rows.Count > 0 ? rows[^1].Seq : cursor);
        }, ct);

        // Up to the head, then on to the head when a page is not full (a webhook's way).
        var toHead = FollowAsync(appended.Task, start, async cursor =>
        {
            var head = await db.Reader.HeadAsync(ct);
            if (head <= cursor) return ([], cursor);
            var rows = await db.Reader.ReadAsync(new JournalRange(cursor) { UpTo = head, Limit = Page }, ct);
            return (rows.Select(r => r.Seq).ToList(), rows.Count < Page ? head : rows[^1].Seq);
        }, ct);

        // Two record types merged in order, on a watermark of its own (a log-file download on another node).
        var otherNode = db.NewReader();
        var merged = FollowAsync(appended.Task, start, async cursor =>
        {
            var seqs = new List<long>();
            await foreach (var row in otherNode.MergeAsync([new JournalRange(cursor) { Type = "test.a" }, new JournalRange(cursor) { Type = "test.b" }], ct))
            {
                seqs.Add(row.Seq);
                if (seqs.Count == 2_000) break;
            }

            return (seqs, seqs.Count > 0 ? seqs[^1] : cursor);
        }, ct);

        var watch = Stopwatch.StartNew();
        await appenders;
        var committed = await CommittedAfterAsync(start);
        committed.Count.ShouldBeGreaterThanOrEqualTo((int)target);
        Interlocked.Read(ref rolledBack).ShouldBeGreaterThan(0, "some transactions should have rolled back, leaving gaps");
        foreach (var (name, reader) in new[] { ("paging", paging), ("to the head", toHead), ("merged", merged) })
        {
            var seen = await reader;
            var missing = committed.Except(seen).Take(5).ToList();
            var extra = seen.Except(committed).Take(5).ToList();
            missing.ShouldBeEmpty($"the {name} reader skipped committed rows");
            extra.ShouldBeEmpty($"the {name} reader read rows that were never committed");
            seen.ShouldBe(committed, $"the {name} reader should read each committed row once, in order");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{committed.Count} rows, {Interlocked.Read(ref rolledBack)} rolled back transactions, {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Readers_without_the_watermark_skip_rows_that_commit_late()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        var start = await MaxSeqAsync();
        var seen = new ConcurrentDictionary<long, byte>();
        var cursor = start;
        var skipped = new List<long>();
        var stop = new CancellationTokenSource();

        // Plain "seq > cursor ORDER BY seq", advancing to the last row read.
        var reading = Task.Run(async () =>
        {
            await using var c = new NpgsqlConnection(db.ConnectionString);
            await c.OpenAsync(ct);
            while (!stop.IsCancellationRequested)
            {
                var rows = (await c.QueryAsync<long>("SELECT seq FROM journal WHERE seq > @cursor ORDER BY seq LIMIT 500", new { cursor = Volatile.Read(ref cursor) })).ToList();
                foreach (var seq in rows) seen[seq] = 0;
                if (rows.Count > 0) Volatile.Write(ref cursor, rows[^1]);
            }
        }, ct);
        var appenders = Task.WhenAll(Enumerable.Range(0, Appenders).Select(i => AppendUntilAsync(100 + i, () => stop.IsCancellationRequested, () => { }, ct)));

        // A committed row at or below the reader's position that it has not read is one it will never read.
        var deadline = Stopwatch.StartNew();
        while (skipped.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, ct);
            var position = Volatile.Read(ref cursor);
            var committed = await CommittedAfterAsync(start, upTo: position);
            skipped.AddRange(committed.Where(s => !seen.ContainsKey(s)));
        }

        await stop.CancelAsync();
        await Task.WhenAll(appenders, reading);
        skipped.ShouldNotBeEmpty("without the watermark a reader following by seq should pass rows that commit late (else the test above proves nothing)");
        TestContext.Current.TestOutputHelper?.WriteLine($"{skipped.Count} rows skipped after {deadline.Elapsed.TotalSeconds:F1} s, e.g. {string.Join(", ", skipped.Take(5))}");
    }

    private long _committed;

    private long CommittedCount => Interlocked.Read(ref _committed);

    /// <summary>
    /// Transactions of 1 to 40 rows through the real append path until <paramref name="done"/>; three in ten hold their
    /// transaction open 1–5 ms after their rows, one in ten rolls back.
    /// </summary>
    private async Task AppendUntilAsync(int seed, Func<bool> done, Action rolledBack, CancellationToken ct)
    {
        var random = new Random(seed);
        while (!done())
        {
            ct.ThrowIfCancellationRequested();
            var rows = random.Next(1, 41);
            var hold = random.Next(10) < 3 ? random.Next(1, 6) : 0;
            var rollBack = random.Next(10) == 0;
            try
            {
                await db.AppendAsync(rows, random.Next(2) == 0 ? "test.a" : "test.b", hold > 0 ? () => Task.Delay(hold, ct) : null, rollBack);
                Interlocked.Add(ref _committed, rows);
            }
            catch (JournalDatabase.RolledBack)
            {
                rolledBack();
            }
        }
    }

    /// <summary>Follows the journal a step at a time from <paramref name="start"/>, until appends are over and it has reached the last committed row.</summary>
    private async Task<List<long>> FollowAsync(Task appended, long start, Func<long, Task<(List<long> Rows, long Next)>> step, CancellationToken ct)
    {
        await Task.Yield();
        var seen = new List<long>();
        var cursor = start;
        long? end = null;
        while (end is null || cursor < end)
        {
            // The end is known once appends are over; rows are read after it is taken, so none is missed.
            if (end is null && appended.IsCompleted) end = await MaxSeqAsync();
            var (rows, next) = await step(cursor);
            seen.AddRange(rows);
            cursor = next;
            if (rows.Count == 0) await Task.Delay(1, ct);
        }

        return seen;
    }

    private async Task<long> MaxSeqAsync()
    {
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM journal");
    }

    private async Task<List<long>> CommittedAfterAsync(long start, long upTo = long.MaxValue)
    {
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync();
        return (await c.QueryAsync<long>("SELECT seq FROM journal WHERE seq > @start AND seq <= @upTo ORDER BY seq", new { start, upTo })).ToList();
    }
}
