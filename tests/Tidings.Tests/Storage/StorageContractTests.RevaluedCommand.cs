using System.Data.Common;
using Dapper;
using Tidings.Storage;

namespace Tidings.Tests.Storage;

public abstract partial class StorageContractTests
{
    private const string RevaluedTable = "CREATE TEMP TABLE revalued (id BIGINT PRIMARY KEY, n BIGINT, t TEXT, r DOUBLE PRECISION, maybe TEXT)";

    [Fact]
    public async Task A_revalued_command_writes_each_row_with_its_own_values_of_every_kind()
    {
        var rows = await Storage.WriteAsync(async w =>
        {
            await w.Connection.ExecuteAsync(RevaluedTable, null, w.Transaction);
            await using (var insert = new RevaluedCommand(w, "INSERT INTO revalued (id, n, t, r, maybe) VALUES (@p0, @p1, @p2, @p3, @p4)", 5))
            {
                (insert[0], insert[1], insert[2], insert[3], insert[4]) = (1L, 42, "Zürich 😀", 1.5, null);
                (await insert.ExecuteAsync()).ShouldBe(1);
                (insert[0], insert[1], insert[2], insert[3], insert[4]) = (2L, long.MaxValue, "", -0.25, "there");
                (await insert.ExecuteAsync()).ShouldBe(1);
            }

            return (await w.Connection.QueryAsync<(long Id, long N, string T, double R, string? Maybe)>("SELECT id, n, t, r, maybe FROM revalued ORDER BY id", null, w.Transaction)).ToList();
        }, Ct);

        rows.ShouldBe([(1L, 42L, "Zürich 😀", 1.5, null), (2L, long.MaxValue, "", -0.25, "there")]);
    }

    [Fact]
    public async Task A_revalued_command_that_breaks_a_constraint_fails_the_write_with_the_databases_error()
    {
        var storage = Storage; // outside the assertion: without a database this skips the test
        var error = await Should.ThrowAsync<DbException>(() => storage.WriteAsync(async w =>
        {
            await w.Connection.ExecuteAsync(RevaluedTable, null, w.Transaction);
            await using var insert = new RevaluedCommand(w, "INSERT INTO revalued (id, n) VALUES (@p0, @p1)", 2);
            (insert[0], insert[1]) = (7L, 1);
            await insert.ExecuteAsync();
            return await insert.ExecuteAsync(); // the same id again
        }, Ct));

        error.Message.ShouldContain("revalued", Case.Insensitive);
    }
}
