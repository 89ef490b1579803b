using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// Makes journal rows commit in <c>seq</c> order, which the promise of <see cref="JournalReader"/> rests on. SQLite
/// serialises every commit through its one writer. On PostgreSQL, concurrent transactions would otherwise commit their
/// rows out of <c>seq</c> order, and a consumer following the journal by <c>seq</c> could pass a row that commits
/// late: each appending transaction takes one transaction-scoped advisory lock just before its first row.
/// </summary>
internal static class JournalAppendOrder
{
    private const string PostgresAppendLock = "SELECT pg_advisory_xact_lock(7242010)";

    /// <summary>Called before each row is inserted; costs a flag test after the first row of a transaction.</summary>
    public static Task BeforeAppendAsync(WriteContext w) =>
        w.NoteJournalAppend() && w.Dialect.Provider == StorageProvider.Postgres ? LockAsync(w) : Task.CompletedTask;

    private static async Task LockAsync(WriteContext w)
    {
        await using var command = w.Connection.CreateCommand();
        command.Transaction = w.Transaction;
        command.CommandText = PostgresAppendLock;
        await command.ExecuteNonQueryAsync();
    }
}
