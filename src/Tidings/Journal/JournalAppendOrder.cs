using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Prepares a transaction's journal appends so that <see cref="JournalHorizon"/> can tell when every row up to a
/// <c>seq</c> is final. SQLite serialises every commit through its one writer. On PostgreSQL appends take no lock and
/// commit out of <c>seq</c> order: before its first row, a transaction has its transaction id assigned
/// (<c>pg_current_xact_id()</c>), so its id is assigned before it draws any <c>seq</c> (a row's <c>DEFAULT nextval</c>
/// runs before the insert would assign the id). The horizon rests on that order.
/// </summary>
internal static class JournalAppendOrder
{
    private const string PostgresAssignXid = "SELECT pg_current_xact_id()";

    /// <summary>Called before each row is inserted; costs a flag test after the first row of a transaction.</summary>
    public static Task BeforeAppendAsync(WriteContext w) =>
        w.NoteJournalAppend() && w.Dialect.Provider == StorageProvider.Postgres ? AssignXidAsync(w) : Task.CompletedTask;

    private static async Task AssignXidAsync(WriteContext w)
    {
        await using var command = w.Connection.CreateCommand();
        command.Transaction = w.Transaction;
        command.CommandText = PostgresAssignXid;
        await command.ExecuteNonQueryAsync();
    }
}
