using System.Data.Common;
using Dapper;
using Tidings.Storage;

namespace Tidings.Journal;

/// <summary>
/// The seeks that find which log files exist: per (account, record type), the first event time at or after a point,
/// over <c>ix_journal_type_time</c>. A caller skips from day to day, one seek per (type, day) that has records.
/// </summary>
internal sealed class JournalLogScans(IStorage storage)
{
    /// <summary>The index a log file's time-bounded scans use.</summary>
    public const string TypeTimeIndex = "ix_journal_type_time";

    /// <summary>The index a log file's download reads in <c>seq</c> order.</summary>
    public const string TypeSeqIndex = "ix_journal_type_seq";

    /// <summary>The earliest event time of a type in [<paramref name="from"/>, <paramref name="before"/>) (null: none).</summary>
    public Task<long?> FirstOccurredAsync(DbConnection c, long accountId, string type, long from, long before, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MIN(occurred) FROM journal {storage.Dialect.UseIndex(TypeTimeIndex)} WHERE account_id = @accountId AND type = @type AND occurred >= @from AND occurred < @before",
            new { accountId, type, from, before }, cancellationToken: ct));
}
