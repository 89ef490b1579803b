using System.Text.Json.Nodes;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Tidings.Events.Intake;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Telemetry;

namespace Tidings.Events;

/// <summary>
/// The one door through which tracking and delivery events enter the journal. Concurrent appends are gathered into
/// batches; each batch is enriched (one lookup per kind for the whole batch) and appended in one transaction, and
/// every caller is answered only after its batch is durably committed. So a burst of opens costs a few transactions,
/// and an event acknowledged to its producer is never lost. Events without a dedupe key (opens, clicks) go to the
/// <see cref="JournalIntake"/> log when it is enabled, and are acknowledged once they are there.
/// </summary>
internal sealed partial class JournalWriter : IHostedService, IAsyncDisposable
{
    private readonly BatchingWriter<Pending> _batches;
    private readonly IStorage _storage;
    private readonly Enricher _enricher;
    private readonly JournalIntake _intake;
    private readonly EventsOptions _options;
    private readonly ILogger<JournalWriter> _logger;
    private readonly EventsMetrics _metrics;

    private readonly TimeProvider _time;

    public JournalWriter(IStorage storage, Enricher enricher, JournalIntake intake, EventsMetrics metrics, IOptions<EventsOptions> options, TimeProvider time, ILogger<JournalWriter> logger)
    {
        _metrics = metrics;
        _time = time;
        _storage = storage;
        _enricher = enricher;
        _intake = intake;
        _options = options.Value;
        _logger = logger;
        // One batch at a time waits for the store, and it takes its events only when its turn comes: everything that
        // queued up while the batches before it were written and committed. Meanwhile up to MaxAppendBatchesInFlight
        // batches are being written or committed, so the writer never waits for the next batch to be formed.
        _batches = new BatchingWriter<Pending>(
            new BatchingOptions
            {
                MaxBatch = _options.MaxAppendBatch,
                QueueCapacity = _options.AppendQueueCapacity,
                BatchesInFlight = _options.MaxAppendBatchesInFlight,
                GatherInCommit = true,
            },
            CommitAsync, static p => p.Completion.TrySetResult(p.Outcome), static (p, error) => p.Completion.TrySetException(error));
        metrics.ObserveQueue(() => _batches.Queued);
    }

    /// <summary>Enriches and appends an event; completes when it is durable (or known not to be recorded).</summary>
    public async Task<AppendOutcome> AppendAsync(RawEvent raw, CancellationToken cancellationToken = default)
    {
        using var span = EventSpans.StartAppend(raw.Type, 1);
        var pending = new Pending(raw, TraceContext.Of(span));
        try
        {
            await _batches.EnqueueAsync(pending, cancellationToken);
            var outcome = await pending.Completion.Task;
            EventSpans.Appended(span, outcome, pending.Spooled);
            return outcome;
        }
        catch (Exception ex) when (EventSpans.Failed(span, ex))
        {
            throw;
        }
    }

    /// <summary>
    /// Appends several events together: they go into one batch, so they are journaled in this order (on PostgreSQL,
    /// batches commit concurrently, and events queued one by one could be split over two of them); outcomes in order.
    /// </summary>
    public async Task<AppendOutcome[]> AppendAllAsync(IEnumerable<RawEvent> events, CancellationToken cancellationToken = default)
    {
        var list = events as IReadOnlyList<RawEvent> ?? events.ToList();
        if (list.Count == 0) return [];
        using var span = EventSpans.StartAppend(list[0].Type, list.Count);
        var traceParent = TraceContext.Of(span);
        var group = list.Select(e => new Pending(e, traceParent)).ToList();
        try
        {
            await _batches.EnqueueAllAsync(group, cancellationToken);
            var outcomes = await Task.WhenAll(group.Select(p => p.Completion.Task));
            EventSpans.Appended(span, outcomes.Count(o => o == AppendOutcome.Recorded), group.Any(p => p.Spooled));
            return outcomes;
        }
        catch (Exception ex) when (EventSpans.Failed(span, ex))
        {
            throw;
        }
    }

    /// <summary>Takes events and writes them (false before start, once stopping, or if its loop died).</summary>
    public bool IsRunning => _batches.IsRunning;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batches.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking events and finishes the ones already queued.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var queued = _batches.Queued;
        await _batches.StopAsync(cancellationToken);
        var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        LogFlushed(queued, elapsedMs);
    }

    /// <summary>Enriches and appends a batch in one unit of work; answered by the writer once it is durable.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommitAsync(WriteBatch<Pending> batch)
    {
        var spooled = new List<IntakeRecord>();
        try
        {
            await _storage.WriteAsync(w =>
            {
                batch.Gather();
                return AppendBatchAsync(w, batch.Items, spooled);
            });
            if (spooled.Count > 0) await _intake.AppendAsync(spooled);
            var items = batch.Items;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Outcome == AppendOutcome.Recorded) _metrics.Ingested(items[i].Raw.Type);
            }
        }
        catch (Exception ex)
        {
            LogAppendFailed(ex, batch.Count);
            throw;
        }
    }

    [LoggerMessage(EventId = 3500, Level = LogLevel.Information, Message = "Journal writer flushed: {Queued} queued events written in {ElapsedMs} ms")]
    private partial void LogFlushed(int queued, long elapsedMs);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Appending {Count} events to the journal failed")]
    private partial void LogAppendFailed(Exception exception, int count);

    /// <summary>Sets each event's <see cref="Pending.Outcome"/>; returns how many there were.</summary>
    private async Task<int> AppendBatchAsync(WriteContext w, IReadOnlyList<Pending> batch, List<IntakeRecord> spooled)
    {
        spooled.Clear(); // a retried unit of work starts over
        w.LeavesProfilesAlone();
        if (batch.Count == 0) return 0; // an earlier batch took everything
        var byToken = await _enricher.FindDestinationsAsync(w.Connection, w.Transaction, DestinationKey.Token,
            batch.Where(p => p.Raw.KeyKind == DestinationKey.Token).Select(p => p.Raw.Key).Distinct().ToList());
        var byMessage = await _enricher.FindDestinationsAsync(w.Connection, w.Transaction, DestinationKey.MessageId,
            batch.Where(p => p.Raw.KeyKind == DestinationKey.MessageId).Select(p => p.Raw.Key).Distinct().ToList());

        var destinations = new DestinationRef?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var raw = batch[i].Raw;
            var d = (raw.KeyKind == DestinationKey.Token ? byToken : byMessage).GetValueOrDefault(raw.Key);
            destinations[i] = d is not null && (raw.AccountId is null || raw.AccountId == d.AccountId) ? d : null;
        }

        var enriched = await _enricher.EnrichedJsonAsync(w, destinations.OfType<DestinationRef>().DistinctBy(d => d.Id).ToList());
        JournalInserter? inserter = null;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Spooled = false;
                if (destinations[i] is not { } d)
                {
                    batch[i].Outcome = AppendOutcome.UnknownDestination;
                    continue;
                }

                var raw = batch[i].Raw;
                var payload = Payload(batch[i], enriched[d.Id]);
                if (_intake.Enabled && raw.DedupeKey is null)
                {
                    // Nothing to check against earlier rows: acknowledged once it is in the intake log.
                    spooled.Add(new IntakeRecord(d.AccountId, raw.Type, raw.OccurredMs, d.MailingId, d.Id, payload, batch[i].TraceParent));
                    batch[i].Outcome = AppendOutcome.Recorded;
                    batch[i].Spooled = true;
                    continue;
                }

                inserter ??= JournalInserter.Create(w);
                batch[i].Outcome = await inserter.InsertAsync(d.AccountId, raw.Type, raw.OccurredMs, payload, d.MailingId, d.Id, raw.DedupeKey, batch[i].TraceParent) ? AppendOutcome.Recorded : AppendOutcome.Duplicate;
            }
        }
        finally
        {
            if (inserter is not null) await inserter.DisposeAsync();
        }

        return batch.Count;
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    /// <summary>Keys the journal adds (see docs/events.md); a fact with one of these names replaces the enrichment.</summary>
    private static readonly HashSet<string> EnrichmentKeys = new(StringComparer.Ordinal)
    {
        "message", "mailing", "destination", "template", "subject", "senderdomain", "tags", "email", "profile", "subprofile",
        "database", "collection", "fields", "subprofilefields", "interests",
    };

    /// <summary>The event's payload: its destination's enrichment with the producer's facts.</summary>
    private static string Payload(Pending pending, string enrichment)
    {
        // The hot path: the enrichment is serialised once per destination (and kept while no profile data changes),
        // the facts by the producer (on its own thread), and the two are spliced.
        if (pending.FactsJson is { } facts) return Splice(enrichment, facts);
        var merged = (JsonObject)JsonNode.Parse(enrichment)!;
        foreach (var (key, value) in pending.Raw.Facts) merged[key] = value?.DeepClone();
        return merged.ToJsonString();
    }

    /// <summary>Joins two serialised JSON objects (the first non-empty, no key in both) into one.</summary>
    private static string Splice(string enrichment, string facts) =>
        facts.Length <= 2 ? enrichment : string.Concat(enrichment.AsSpan(0, enrichment.Length - 1), ",", facts.AsSpan(1));

    private sealed class Pending(RawEvent raw, string? traceParent)
    {
        public RawEvent Raw { get; } = raw;

        /// <summary>The trace context of the append's span (sampled only), stored beside the event, never in its payload.</summary>
        public string? TraceParent { get; } = traceParent;

        /// <summary>Acknowledged from the intake log (a retried unit of work sets it again).</summary>
        public bool Spooled { get; set; }

        /// <summary>The facts serialised by the producer (on its thread), or null when a fact replaces an enrichment key.</summary>
        public string? FactsJson { get; } = raw.Facts.Any(f => EnrichmentKeys.Contains(f.Key)) ? null : raw.Facts.ToJsonString();

        public TaskCompletionSource<AppendOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set by the unit of work that appends it; given to the producer once that has committed.</summary>
        public AppendOutcome Outcome { get; set; }
    }
}
