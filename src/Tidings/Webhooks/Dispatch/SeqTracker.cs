namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Which journal records a webhook has read but not yet settled (delivered, or handed to the retry store). The cursor
/// may only move to just before the oldest unsettled record, so a crash re-reads (and re-sends) exactly those.
/// Records are opened in journal order (the feeder reads ascending), so the open ones form a sorted queue: settling the
/// oldest moves the head past it and past those settled before it; settling another marks it. Constant time for the
/// usual in-order settling, where a sorted set paid a tree node and a rebalance for each event. Thread-safe: the reader
/// adds, workers and the ledger settle.
/// </summary>
internal sealed class SeqTracker(long start)
{
    // Opened records in ascending order; those before _head are settled and wait to be trimmed off.
    private readonly List<long> _open = [];
    private readonly HashSet<long> _settledAhead = [];
    private readonly Lock _lock = new();
    private int _head;
    private long _read = start;

    /// <summary>A record was read and will be sent (in ascending order of <paramref name="seq"/>).</summary>
    public void Open(long seq)
    {
        lock (_lock)
        {
            if (_open.Count > 0 && seq <= _open[^1]) throw new InvalidOperationException($"Record {seq} opened after {_open[^1]}: records must be opened in journal order.");
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
        lock (_lock)
        {
            if (_head == _open.Count) return;
            if (seq != _open[_head])
            {
                // Only a record that is open (and not settled already) is remembered, so nothing stays behind.
                if (_open.BinarySearch(_head, _open.Count - _head, seq, null) >= 0) _settledAhead.Add(seq);
                return;
            }

            _head++;
            while (_head < _open.Count && _settledAhead.Remove(_open[_head])) _head++;
            if (_head == _open.Count)
            {
                _open.Clear();
                _head = 0;
            }
            else if (_head >= 4096 && _head >= _open.Count / 2)
            {
                _open.RemoveRange(0, _head);
                _head = 0;
            }
        }
    }

    /// <summary>Records read but not settled.</summary>
    public int OpenCount
    {
        get { lock (_lock) return _open.Count - _head - _settledAhead.Count; }
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
            lock (_lock) return _head == _open.Count ? _read : _open[_head] - 1;
        }
    }
}
