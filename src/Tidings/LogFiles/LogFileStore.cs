using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.LogFiles;

/// <summary>
/// Which log files exist (distinct (local day, type) pairs of an account's journal, found by index seeks), and what a
/// download holds, read through <see cref="JournalReader"/>: a download's last seq is a resume token (<c>afterSeq</c>)
/// that, by the reader's promise, misses nothing when the next download starts after it.
/// </summary>
internal sealed class LogFileStore(IStorage storage, StreamingReads streamingReads, DownloadTurns turns, JournalReader journal, JournalLogScans scans, LocalDays days, IOptions<LogFilesOptions> options)
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
                    var next = await scans.FirstOccurredAsync(c, accountId, source, cursor, highest, cancellationToken);
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
    /// and after seq <paramref name="afterSeq"/>; the last seq is fixed now so the response can announce it. Finding it
    /// walks the day's index entries, so it waits for a download turn (<see cref="DownloadTurns"/>).
    /// </summary>
    public async Task<LogFileQuery> PlanAsync(long accountId, LogFileName name, long? fromMs, long? afterSeq, CancellationToken cancellationToken)
    {
        var start = days.StartMs(name.Date);
        if (fromMs is { } f && f + 1 > start) start = f + 1;
        var end = days.EndMs(name.Date);
        var after = afterSeq ?? 0;
        long? last = null;
        using var turn = await turns.TakeAsync(cancellationToken);
        await using var c = await storage.OpenReadAsync(cancellationToken);
        foreach (var source in name.Type.SourceTypes)
        {
            var max = await journal.RangeEndAsync(c, new JournalRange(after)
            {
                AccountId = accountId, Type = source, OccurredFrom = start, OccurredBefore = end, Index = JournalLogScans.TypeTimeIndex,
            }, cancellationToken);
            if (max > (last ?? long.MinValue)) last = max;
        }

        return new LogFileQuery(accountId, name, start, end, after, last);
    }

    /// <summary>
    /// The planned records in seq order, read a page (<see cref="LogFilesOptions.ReadPageRows"/> rows per record type)
    /// at a time on a connection of the streaming pool (<see cref="StreamingReads"/>) that is given back before the
    /// rows are written: a client that reads slowly, or not at all, holds no database connection, and a file of any size
    /// is read in bounded memory. The pages are exact: each starts after the last seq of the one before and none goes
    /// past the planned last seq, so the download holds the same rows as one long read would.
    /// </summary>
    public async IAsyncEnumerable<JournalEntry> ReadAsync(LogFileQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query.LastSeq is not { } last) yield break;
        var pageRows = options.Value.ReadPageRows;
        var sources = query.Name.Type.SourceTypes.Select(source => new PagedRange(new JournalRange(query.AfterSeq)
        {
            AccountId = query.AccountId, Type = source, UpTo = last, OccurredFrom = query.StartMs, OccurredBefore = query.EndMs,
            Index = JournalLogScans.TypeSeqIndex, Limit = pageRows,
        })).ToList();
        while (true)
        {
            // A type whose page is used up is read on before the next row is chosen: its next row may come first.
            if (sources.Any(s => s.NeedsPage))
            {
                await using var read = await streamingReads.OpenAsync(cancellationToken);
                foreach (var source in sources.Where(s => s.NeedsPage))
                {
                    source.Add(await journal.ReadAsync(read.Connection, source.NextPage, cancellationToken));
                }
            }

            PagedRange? next = null;
            foreach (var source in sources)
            {
                if (source.HasRow && (next is null || source.Head.Seq < next.Head.Seq)) next = source;
            }

            if (next is null) yield break;
            yield return next.Take();
        }
    }

    /// <summary>The rows of one record type read so far and not yet taken, and where its next page starts.</summary>
    private sealed class PagedRange(JournalRange range)
    {
        private readonly Queue<JournalEntry> _rows = new();
        private long _after = range.After;
        private bool _exhausted;

        public bool NeedsPage => _rows.Count == 0 && !_exhausted;

        public bool HasRow => _rows.Count > 0;

        public JournalEntry Head => _rows.Peek();

        public JournalRange NextPage => range with { After = _after };

        public void Add(List<JournalEntry> page)
        {
            foreach (var row in page) _rows.Enqueue(row);
            if (page.Count > 0) _after = page[^1].Seq;
            if (page.Count < range.Limit) _exhausted = true;
        }

        public JournalEntry Take() => _rows.Dequeue();
    }
}

/// <summary>A planned download: the file, its millisecond range, the seq range (after, last] (null last: empty).</summary>
internal sealed record LogFileQuery(long AccountId, LogFileName Name, long StartMs, long EndMs, long AfterSeq, long? LastSeq);
