using System.Globalization;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.Storage;

namespace Tidings.Statistics;

/// <summary>
/// Keeps the statistics counters up to date: reads the event journal after its own cursor (<c>consumer_cursors</c>
/// row <c>statistics</c>) in batches and, in one transaction per batch, updates the per-destination results
/// (<c>destination_results</c>), the per-mailing counters (<c>mailing_statistics</c>), the hourly aggregates
/// (<c>statistics_hours</c>, <see cref="HourlyCounts"/>) and the cursor. A batch is
/// counted entirely or not at all, so a restart (or a crash) neither loses nor double counts an event. Reading the
/// statistics then costs a handful of rows, however large the mailing. Appends wake it (<see cref="JournalSignal"/>; a
/// burst wakes it once), and it looks anyway every <see cref="StatisticsOptions.PollIntervalMs"/> for what another
/// node appended.
/// </summary>
internal sealed class StatisticsConsumer(
    IStorage storage, JournalReader journal, JournalSignal signal, EventRates rates, TimeProvider time, IOptions<StatisticsOptions> options, ILogger<StatisticsConsumer> logger) : BackgroundService
{
    public const string CursorName = "statistics";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _position;
    private bool _started;

    // Results of the destinations counted lately, as committed up to cursor position _cachedAt (-1: none).
    private readonly Dictionary<long, DestinationState> _cache = new();
    private long _cachedAt = -1;

    /// <summary>The journal sequence number up to which everything has been counted (as far as this node knows).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Makes the consumer look for new journal records now instead of after its poll interval (coalesced: one pending wake at most).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits until everything in the journal now has been counted (tests, admin tools).</summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        var max = await journal.HeadAsync(ct);
        while (Position < max)
        {
            Wake();
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        signal.Subscribe(Wake);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Taken before the read, so an append that commits during it leaves a wake for the next round.
                _wake.Reader.TryRead(out _);
                var read = await CountNextBatchAsync(stoppingToken);
                if (read >= o.BatchSize) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.CountingFailed(ex);
            }

            try
            {
                await _wake.Reader.WaitToReadAsync(stoppingToken).AsTask().WaitAsync(TimeSpan.FromMilliseconds(o.PollIntervalMs), time, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Counts the next batch of journal records in one transaction; returns how many records it read.</summary>
    public async Task<int> CountNextBatchAsync(CancellationToken ct)
    {
        var batchSize = options.Value.BatchSize;
        if (_started)
        {
            // Nothing new after what this node counted: no write transaction (the writer stays free for others).
            if (!await journal.HasAfterAsync(Position, ct)) return 0;
        }

        Batch batch;
        try
        {
            batch = await storage.WriteAsync(w => CountBatchAsync(w, batchSize), ct);
        }
        catch
        {
            _cachedAt = -1; // whether the batch committed is not known
            throw;
        }

        if (batch.Position > Position) Volatile.Write(ref _position, batch.Position);
        _started = true;
        if (batch.Counted is not null) Remember(batch.Counted, batch.UsedCache, batch.Position);
        if (batch.PerAccount is not null) rates.Add(batch.PerAccount);
        return batch.Read;
    }

    /// <summary>
    /// What one batch read and counted (Counted: the results it wrote, PerAccount: its events per account; both null when
    /// there was nothing to read).
    /// </summary>
    private sealed record Batch(int Read, long Position, Dictionary<long, DestinationState>? Counted, bool UsedCache, Dictionary<long, int>? PerAccount = null);

    private async Task<Batch> CountBatchAsync(WriteContext w, int batchSize)
    {
        w.LeavesProfilesAlone();
        // PostgreSQL: the cursor's row lock makes a second node wait for this batch and then continue after it.
        var cursor = await ConsumerCursors.TakeAsync(w, CursorName);
        var rows = await journal.ReadAsync(w, new JournalRange(cursor) { Limit = batchSize, View = JournalView.Counting });
        if (rows.Count == 0) return new Batch(0, cursor, null, false);

        // The cached results are what the table holds only if this node counted last, up to this very cursor.
        var usedCache = cursor == _cachedAt;
        var firstOfMetric = new HashSet<long>();
        var counted = await CountAsync(w, rows, usedCache ? _cache : null, firstOfMetric);
        var perAccount = await HourlyCounts.AddAsync(w, rows, firstOfMetric);
        var last = rows[^1].Seq;
        await ConsumerCursors.SetAsync(w, CursorName, last);
        return new Batch(rows.Count, last, counted, usedCache, perAccount);
    }

    /// <summary>
    /// After a committed batch: the results it wrote join the cache, which then matches the table as of
    /// <paramref name="position"/>. A batch that could not use the cache (another node counted before it) starts it anew.
    /// </summary>
    private void Remember(Dictionary<long, DestinationState> counted, bool usedCache, long position)
    {
        var size = options.Value.DestinationCacheSize;
        if (!usedCache || _cache.Count + counted.Count > size) _cache.Clear();
        if (counted.Count <= size)
        {
            foreach (var (id, state) in counted) _cache[id] = state;
        }

        _cachedAt = position; // an empty cache matches the table too

    }

    /// <summary>Counts the batch's results; <paramref name="firstOfMetric"/> receives the seqs that were their destination's first of their metric.</summary>
    private static async Task<Dictionary<long, DestinationState>> CountAsync(
        WriteContext w, List<JournalEntry> rows, Dictionary<long, DestinationState>? cache, HashSet<long> firstOfMetric)
    {
        var counted = rows.Where(r => r.MailingId is not null && r.DestinationId is not null && MailingCounters.IndexOfType(r.Type) >= 0).ToList();
        var states = new Dictionary<long, DestinationState>();
        if (counted.Count == 0) return states;

        // Copies of the cached results: the cache itself changes only once this batch has committed.
        var unknown = new List<long>();
        foreach (var id in counted.Select(r => r.DestinationId!.Value).Distinct())
        {
            if (cache is not null && cache.TryGetValue(id, out var known)) states[id] = known.Copy();
            else unknown.Add(id);
        }

        foreach (var chunk in unknown.Chunk(500))
        {
            var existing = await w.Connection.QueryAsync<DestinationState>(
                "SELECT destination_id AS DestinationId, mailing_id AS MailingId, deliveries, errors, impressions, clicks, unsubscribes, abuses, retries, dominant " +
                $"FROM destination_results WHERE destination_id IN ({string.Join(',', chunk.Select(i => i.ToString(CultureInfo.InvariantCulture)))})", transaction: w.Transaction);
            foreach (var s in existing) states[s.DestinationId] = s;
        }

        var deltas = new Dictionary<(long Mailing, string Metric), Delta>();
        void Add(long mailing, string metric, long total, long unique)
        {
            var d = deltas.TryGetValue((mailing, metric), out var found) ? found : deltas[(mailing, metric)] = new Delta();
            d.Total += total;
            d.Unique += unique;
        }

        foreach (var r in counted)
        {
            var id = r.DestinationId!.Value;
            if (!states.TryGetValue(id, out var s)) states[id] = s = new DestinationState { DestinationId = id, MailingId = r.MailingId!.Value };
            var metric = MailingCounters.IndexOfType(r.Type);
            var wasSettled = s.Deliveries + s.Errors > 0;
            var before = s.Increment(metric);
            Add(s.MailingId, MailingCounters.All[metric], 1, before == 0 ? 1 : 0);
            if (before == 0) firstOfMetric.Add(r.Seq);
            if (!wasSettled && s.Deliveries + s.Errors > 0) Add(s.MailingId, MailingCounters.Settled, 0, 1);
            var rank = MailingCounters.Rank(metric);
            if (rank > s.Dominant)
            {
                if (s.Dominant > 0) Add(s.MailingId, MailingCounters.DominantMetric(s.Dominant), 0, -1);
                Add(s.MailingId, MailingCounters.DominantMetric(rank), 0, 1);
                s.Dominant = rank;
            }

            s.Changed = true;
        }

        // One row per destination counted: the statement is made once for the batch.
        await using (var upsert = new RevaluedCommand(w,
            "INSERT INTO destination_results (destination_id, mailing_id, deliveries, errors, impressions, clicks, unsubscribes, abuses, retries, dominant) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9) " +
            "ON CONFLICT (destination_id) DO UPDATE SET deliveries = excluded.deliveries, errors = excluded.errors, impressions = excluded.impressions, " +
            "clicks = excluded.clicks, unsubscribes = excluded.unsubscribes, abuses = excluded.abuses, retries = excluded.retries, dominant = excluded.dominant", 10))
        {
            foreach (var s in states.Values.Where(s => s.Changed))
            {
                (upsert[0], upsert[1], upsert[2], upsert[3], upsert[4]) = (s.DestinationId, s.MailingId, s.Deliveries, s.Errors, s.Impressions);
                (upsert[5], upsert[6], upsert[7], upsert[8], upsert[9]) = (s.Clicks, s.Unsubscribes, s.Abuses, s.Retries, s.Dominant);
                await upsert.ExecuteAsync();
            }
        }

        await w.Connection.ExecuteAsync(
            "INSERT INTO mailing_statistics (mailing_id, metric, total, unique_count) VALUES (@Mailing, @Metric, @Total, @Unique) " +
            "ON CONFLICT (mailing_id, metric) DO UPDATE SET total = mailing_statistics.total + excluded.total, unique_count = mailing_statistics.unique_count + excluded.unique_count",
            deltas.Select(d => new { d.Key.Mailing, d.Key.Metric, d.Value.Total, d.Value.Unique }), w.Transaction);
        return states;
    }

    private sealed class Delta
    {
        public long Total { get; set; }
        public long Unique { get; set; }
    }

    /// <summary>A row of <c>destination_results</c>.</summary>
    public sealed class DestinationState
    {
        public long DestinationId { get; set; }
        public long MailingId { get; set; }
        public long Deliveries { get; set; }
        public long Errors { get; set; }
        public long Impressions { get; set; }
        public long Clicks { get; set; }
        public long Unsubscribes { get; set; }
        public long Abuses { get; set; }
        public long Retries { get; set; }
        public int Dominant { get; set; }
        internal bool Changed { get; set; }

        internal DestinationState Copy() => new()
        {
            DestinationId = DestinationId, MailingId = MailingId, Deliveries = Deliveries, Errors = Errors, Impressions = Impressions,
            Clicks = Clicks, Unsubscribes = Unsubscribes, Abuses = Abuses, Retries = Retries, Dominant = Dominant,
        };

        /// <summary>Counts one event of a metric (index as <see cref="MailingCounters.All"/>); returns the count before.</summary>
        public long Increment(int metric) => metric switch
        {
            0 => Deliveries++,
            1 => Errors++,
            2 => Impressions++,
            3 => Clicks++,
            4 => Unsubscribes++,
            5 => Abuses++,
            _ => Retries++,
        };

        public long Count(string metric) => metric switch
        {
            MailingCounters.Deliveries => Deliveries,
            MailingCounters.Errors => Errors,
            MailingCounters.Impressions => Impressions,
            MailingCounters.Clicks => Clicks,
            MailingCounters.Unsubscribes => Unsubscribes,
            MailingCounters.Abuses => Abuses,
            _ => Retries,
        };
    }
}
