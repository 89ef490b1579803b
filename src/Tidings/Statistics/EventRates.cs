namespace Tidings.Statistics;

/// <summary>
/// How many journal events of each account the statistics consumer counted in each of the last seconds, kept in memory
/// (a ring of <see cref="Seconds"/> slots per account that had events). The consumer adds a batch's counts after it
/// committed: one dictionary update per account per batch, nothing per event, no query. A reader (the dashboard's live
/// chart) costs one lock and an array read, whatever the journal's size. On several nodes each node knows only the
/// batches it counted itself (the consumer's cursor lock hands batches to whichever node comes first).
/// </summary>
internal sealed class EventRates(TimeProvider time)
{
    /// <summary>How many seconds back a count can be read.</summary>
    public const int Seconds = 64;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Ring> _accounts = new();

    /// <summary>The current second (Unix seconds) by the server's clock.</summary>
    public long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Adds events of accounts counted now.</summary>
    public void Add(IReadOnlyDictionary<long, int> perAccount)
    {
        var second = Now;
        foreach (var (account, count) in perAccount) _accounts.GetOrAdd(account, _ => new Ring()).Add(second, count);
    }

    /// <summary>The account's events counted in the given second (0 when it is further back than <see cref="Seconds"/>).</summary>
    public long In(long accountId, long second) => _accounts.TryGetValue(accountId, out var ring) ? ring.In(second) : 0;

    private sealed class Ring
    {
        private readonly Lock _lock = new();
        private readonly long[] _seconds = new long[Seconds];
        private readonly long[] _counts = new long[Seconds];

        public void Add(long second, long count)
        {
            var slot = (int)(second % Seconds);
            lock (_lock)
            {
                if (_seconds[slot] != second) (_seconds[slot], _counts[slot]) = (second, 0);
                _counts[slot] += count;
            }
        }

        public long In(long second)
        {
            var slot = (int)(second % Seconds);
            lock (_lock) return _seconds[slot] == second ? _counts[slot] : 0;
        }
    }
}
