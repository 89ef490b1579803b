using System.Data.Common;

namespace Tidings.Storage;

/// <summary>
/// The one door to the relational store. Reads get their own pooled connection; writes run as a unit of work in a
/// transaction, which the SQLite provider group-commits with other concurrent writes.
/// </summary>
internal interface IStorage
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a connection for reading. Dispose it when done.</summary>
    ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction and returns after it is durably committed. If the work throws,
    /// none of its changes are kept and the exception is rethrown to the caller.
    /// </summary>
    Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raised once a transaction that appended journal rows (<see cref="WriteContext.AppendedToJournal"/>) has committed,
    /// never before: whoever follows the journal may read the new rows then. Handlers run on the writer and must be
    /// as cheap as a flag or a channel write. The argument is how many rows the transaction appended.
    /// </summary>
    event Action<int>? JournalAppendCommitted;
}

/// <summary>The connection and transaction a unit of write work runs in.</summary>
internal sealed record WriteContext(DbConnection Connection, DbTransaction Transaction, SqlDialect Dialect)
{
    /// <summary>
    /// Where the store runs every unit of work in one order on one connection (SQLite), the number of units before
    /// this one that may have changed profile data (profiles, subprofiles, fields, interests, databases); what was
    /// derived from profile data at one generation still holds while the generation is the same. Null where the store
    /// cannot know (PostgreSQL: concurrent transactions, other nodes): nothing may be cached then.
    /// </summary>
    public long? ProfileGeneration { get; private set; }

    /// <summary>True once the unit has declared (<see cref="LeavesProfilesAlone"/>) that it changes no profile data.</summary>
    public bool ProfilesUntouched { get; private set; }

    /// <summary>
    /// Declares that this unit of work changes no profile data (it appends events, moves a cursor, …), so it does not
    /// end the generation. Units that do not declare this are taken to change profile data.
    /// </summary>
    public void LeavesProfilesAlone() => ProfilesUntouched = true;

    /// <summary>Called by the store before each unit of work it runs in this context.</summary>
    internal void BeginUnit(long? profileGeneration)
    {
        ProfileGeneration = profileGeneration;
        ProfilesUntouched = false;
    }

    /// <summary>Whether a unit of this transaction appended journal rows (the store then raises <see cref="IStorage.JournalAppendCommitted"/>).</summary>
    public bool AppendedToJournal { get; private set; }

    /// <summary>Journal rows this transaction appended (counted by the journal's inserter).</summary>
    public int JournalRowsAppended { get; private set; }

    /// <summary>Counts one journal row appended in this transaction.</summary>
    public void CountJournalRow() => JournalRowsAppended++;

    /// <summary>
    /// Notes that this transaction appends journal rows; true the first time, when the journal orders its appends
    /// against those of concurrent transactions (the journal folder decides how).
    /// </summary>
    public bool NoteJournalAppend()
    {
        if (AppendedToJournal) return false;
        AppendedToJournal = true;
        return true;
    }
}
