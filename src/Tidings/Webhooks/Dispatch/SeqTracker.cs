namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Which journal records a webhook has read but not yet settled (delivered, or handed to the retry store). The cursor
/// may only move to just before the oldest unsettled record, so a crash re-reads (and re-sends) exactly those.
/// Thread-safe: the reader adds, workers and the ledger settle.
/// </summary>
public sealed class SeqTracker(long start)
{
    private readonly SortedSet<long> _open = [];
    private readonly Lock _lock = new();
    private long _read = start;

    /// <summary>A record was read and will be sent.</summary>
    public void Open(long seq)
    {
        lock (_lock)
        {
            _open.Add(seq);
            if (seq > _read) _read = seq;
        }
    }

    /// <summary>Everything up to <paramref name="seq"/> has been read (records without a match need no settling).</summary>
    public void ReadUpTo(long seq)
    {
        lock (_lock)
        {
            if (seq > _read) _read = seq;
        }
    }

    public void Settle(long seq)
    {
        lock (_lock) _open.Remove(seq);
    }

    /// <summary>Records read but not settled.</summary>
    public int OpenCount
    {
        get { lock (_lock) return _open.Count; }
    }

    /// <summary>How far the read has got.</summary>
    public long Read
    {
        get { lock (_lock) return _read; }
    }

    /// <summary>The position a restart may resume from without losing anything.</summary>
    public long SafeCursor
    {
        get
        {
            lock (_lock) return _open.Count == 0 ? _read : _open.Min - 1;
        }
    }
}
