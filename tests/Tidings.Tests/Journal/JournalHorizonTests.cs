using Dapper;
using Npgsql;
using Tidings.Journal;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Journal;

/// <summary>
/// The visibility watermark step by step on PostgreSQL: a transaction still running keeps it below its rows, whether
/// it appended them or only holds a transaction id elsewhere in the cluster; a rollback's gap is passed; the head is a
/// row, never a gap; a sequence that caches values is refused.
/// </summary>
public sealed class JournalHorizonTests(JournalDatabase db) : IClassFixture<JournalDatabase>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_transaction_held_open_keeps_the_mark_below_its_row_until_it_commits()
    {
        var inserted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var holding = db.AppendAsync(1, beforeCommit: async () =>
        {
            inserted.SetResult();
            await release.Task;
        });
        await inserted.Task.WaitAsync(Bound, Ct);
        var held = await LastDrawnAsync();

        await db.AppendAsync(1); // commits first, with the seq after the held row
        for (var i = 0; i < 3; i++) (await db.Horizon.AdvanceAsync(Ct)).ShouldBeLessThan(held);
        (await db.Reader.ReadAsync(new JournalRange(held - 1), Ct)).ShouldBeEmpty("the row after a running transaction's row is not shown yet");
        (await db.Reader.HasAfterAsync(held - 1, Ct)).ShouldBeFalse();
        (await db.Reader.HeadAsync(Ct)).ShouldBeLessThan(held);

        release.SetResult();
        await holding;
        await UntilAsync(async () => await db.Horizon.AdvanceAsync(Ct) >= held + 1);
        (await db.Reader.ReadAsync(new JournalRange(held - 1), Ct)).Select(r => r.Seq).ShouldBe([held, held + 1]);
        (await db.Reader.HeadAsync(Ct)).ShouldBe(held + 1);
    }

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_rolled_back_gap_is_passed_and_the_head_is_a_row_not_a_gap()
    {
        var start = await LastDrawnAsync();
        await Should.ThrowAsync<JournalDatabase.RolledBack>(db.AppendAsync(3, rollBack: true));
        await db.AppendAsync(1);
        var row = start + 4;
        await Should.ThrowAsync<JournalDatabase.RolledBack>(db.AppendAsync(2, rollBack: true)); // a gap at the end too

        await UntilAsync(async () => await db.Horizon.AdvanceAsync(Ct) >= row + 2);
        (await db.Reader.ReadAsync(new JournalRange(start), Ct)).Select(r => r.Seq).ShouldBe([row]);
        (await db.Reader.HeadAsync(Ct)).ShouldBe(row);
        (await db.Reader.HasAfterAsync(row, Ct)).ShouldBeFalse();
    }

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_write_transaction_elsewhere_in_the_cluster_holds_the_mark_back_until_it_ends()
    {
        // Another database of the same server: transaction ids are the cluster's, so this is the documented cost.
        await using var other = new NpgsqlConnection(TestDatabases.PostgresAdminConnectionString);
        await other.OpenAsync(Ct);
        await using var tx = await other.BeginTransactionAsync(Ct);
        await other.ExecuteAsync("SELECT pg_current_xact_id()", transaction: tx);

        await db.AppendAsync(1);
        var row = await LastDrawnAsync();
        for (var i = 0; i < 3; i++) (await db.Horizon.AdvanceAsync(Ct)).ShouldBeLessThan(row);
        (await db.Reader.ReadAsync(new JournalRange(row - 1), Ct)).ShouldBeEmpty();

        await tx.CommitAsync(Ct);
        await UntilAsync(async () => await db.Horizon.AdvanceAsync(Ct) >= row);
        (await db.Reader.ReadAsync(new JournalRange(row - 1), Ct)).Select(r => r.Seq).ShouldBe([row]);
    }

    [Fact(Skip = JournalDatabase.PostgresPassOnly, SkipUnless = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_sequence_that_caches_values_is_refused()
    {
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync(Ct);
        var sequence = await c.ExecuteScalarAsync<string>("SELECT pg_get_serial_sequence('journal', 'seq')");
        await c.ExecuteAsync($"ALTER SEQUENCE {sequence} CACHE 20");
        try
        {
            var refused = await Should.ThrowAsync<InvalidOperationException>(db.NewHorizon().CheckAsync(Ct));
            refused.Message.ShouldContain("CACHE 1");
        }
        finally
        {
            await c.ExecuteAsync($"ALTER SEQUENCE {sequence} CACHE 1");
        }

        await db.NewHorizon().CheckAsync(Ct);
    }

    /// <summary>The last seq drawn from the journal's sequence (nothing else appends to this database).</summary>
    private async Task<long> LastDrawnAsync()
    {
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync(Ct);
        var sequence = await c.ExecuteScalarAsync<string>("SELECT pg_get_serial_sequence('journal', 'seq')");
        var (last, called) = await c.QuerySingleAsync<(long, bool)>($"SELECT last_value, is_called FROM {sequence}");
        return called ? last : last - 1;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"The watermark did not advance within {Bound.TotalSeconds} s.");
            await Task.Delay(10, Ct);
        }
    }
}
