using System.Data.Common;
using Dapper;
using Tidings.Storage;

namespace Tidings.LogFiles;

/// <summary>Which log files exist: distinct (local day, type) pairs of an account's journal, found by index seeks.</summary>
public sealed class LogFileStore(IStorage storage, LocalDays days)
{
    /// <summary>The local days that have records of any log file type, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> DatesAsync(long accountId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(accountId, LogFileTypes.All, null, cancellationToken);
        return found.Select(f => f.Date).Distinct().Order().ToList();
    }

    /// <summary>The names of the log files of a day and/or a type, oldest day first, then by type name.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(long accountId, DateOnly? date, string? type, CancellationToken cancellationToken)
    {
        IReadOnlyList<LogFileType> types = type is null ? LogFileTypes.All : LogFileTypes.Find(type) is { } t ? [t] : [];
        if (types.Count == 0) return [];
        var found = await FindAsync(accountId, types, date, cancellationToken);
        return found.OrderBy(f => f.Date).ThenBy(f => f.Type.Name, StringComparer.Ordinal).Select(f => f.ToString()).ToList();
    }

    /// <summary>
    /// Skip scan over <c>ix_journal_type_time</c>: per record type, seek the first record at or after a point, note its
    /// local day, and jump to the start of the next day. Costs one seek per (type, day) that has records.
    /// </summary>
    private async Task<List<LogFileName>> FindAsync(long accountId, IReadOnlyList<LogFileType> types, DateOnly? date, CancellationToken cancellationToken)
    {
        var result = new HashSet<LogFileName>();
        await using var c = await storage.OpenReadAsync(cancellationToken);
        var lowest = date is { } d ? days.StartMs(d) : long.MinValue;
        var highest = date is { } e ? days.EndMs(e) : long.MaxValue;
        foreach (var type in types)
        {
            foreach (var source in type.SourceTypes)
            {
                var cursor = lowest;
                while (true)
                {
                    var next = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                        $"SELECT MIN(occurred) FROM journal {storage.Dialect.UseIndex("ix_journal_type_time")} WHERE account_id = @accountId AND type = @source AND occurred >= @cursor AND occurred < @highest",
                        new { accountId, source, cursor, highest }, cancellationToken: cancellationToken));
                    if (next is not { } occurred) break;
                    var day = days.DayOf(occurred);
                    result.Add(new LogFileName(type, day));
                    cursor = days.EndMs(day);
                    if (cursor == long.MaxValue) break;
                }
            }
        }

        return result.ToList();
    }

    /// <summary>
    /// What a download will contain: records of the file's types and day, after <paramref name="fromMs"/> (exclusive)
    /// and after seq <paramref name="afterSeq"/>; the last seq is fixed now so the response can announce it.
    /// </summary>
    public async Task<LogFileQuery> PlanAsync(long accountId, LogFileName name, long? fromMs, long? afterSeq, CancellationToken cancellationToken)
    {
        var start = days.StartMs(name.Date);
        if (fromMs is { } f && f + 1 > start) start = f + 1;
        var end = days.EndMs(name.Date);
        var after = afterSeq ?? 0;
        long? last = null;
        await using var c = await storage.OpenReadAsync(cancellationToken);
        foreach (var source in name.Type.SourceTypes)
        {
            var max = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT MAX(seq) FROM journal {storage.Dialect.UseIndex("ix_journal_type_time")} WHERE account_id = @accountId AND type = @source AND occurred >= @start AND occurred < @end AND seq > @after",
                new { accountId, source, start, end, after }, cancellationToken: cancellationToken));
            if (max > (last ?? long.MinValue)) last = max;
        }

        return new LogFileQuery(accountId, name, start, end, after, last);
    }

    /// <summary>
    /// Streams the planned records in seq order, one reader per record type merged by seq, holding one row per type
    /// in memory: a file of any size is read in constant memory.
    /// </summary>
    public async IAsyncEnumerable<JournalRecord> ReadAsync(LogFileQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query.LastSeq is not { } last) yield break;
        var cursors = new List<Cursor>();
        try
        {
            foreach (var source in query.Name.Type.SourceTypes)
            {
                var connection = await storage.OpenReadAsync(cancellationToken);
                var cursor = new Cursor(connection, storage.Dialect.UseIndex("ix_journal_type_seq"));
                cursors.Add(cursor);
                await cursor.OpenAsync(query, source, last, cancellationToken);
            }

            while (true)
            {
                Cursor? next = null;
                foreach (var cursor in cursors)
                {
                    if (cursor.Current is { } r && (next is null || r.Seq < next.Current!.Seq)) next = cursor;
                }

                if (next is null) yield break;
                yield return next.Current!;
                await next.MoveAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var cursor in cursors) await cursor.DisposeAsync();
        }
    }

    private sealed class Cursor(DbConnection connection, string indexHint) : IAsyncDisposable
    {
        private DbCommand? _command;
        private DbDataReader? _reader;

        public JournalRecord? Current { get; private set; }

        public async Task OpenAsync(LogFileQuery q, string source, long last, CancellationToken cancellationToken)
        {
            _command = connection.CreateCommand();
            _command.CommandText =
                $"SELECT seq, type, occurred, payload FROM journal {indexHint} WHERE account_id = @account AND type = @type AND seq > @after AND seq <= @last " +
                "AND occurred >= @start AND occurred < @end ORDER BY seq";
            Add("account", q.AccountId);
            Add("type", source);
            Add("after", q.AfterSeq);
            Add("last", last);
            Add("start", q.StartMs);
            Add("end", q.EndMs);
            _reader = await _command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            await MoveAsync(cancellationToken);
        }

        public async Task MoveAsync(CancellationToken cancellationToken)
        {
            Current = await _reader!.ReadAsync(cancellationToken)
                ? new JournalRecord(_reader.GetInt64(0), _reader.GetString(1), _reader.GetInt64(2), _reader.GetString(3))
                : null;
        }

        private void Add(string name, object value)
        {
            var p = _command!.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            _command.Parameters.Add(p);
        }

        public async ValueTask DisposeAsync()
        {
            if (_reader is not null) await _reader.DisposeAsync();
            if (_command is not null) await _command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>A planned download: the file, its millisecond range, the seq range (after, last] (null last: empty).</summary>
public sealed record LogFileQuery(long AccountId, LogFileName Name, long StartMs, long EndMs, long AfterSeq, long? LastSeq);

/// <summary>One journal record as a log file reads it.</summary>
public sealed record JournalRecord(long Seq, string Type, long Occurred, string Payload);
