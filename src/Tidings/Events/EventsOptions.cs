using System.ComponentModel.DataAnnotations;

namespace Tidings.Events;

/// <summary>The event journal. Bound from the <c>Events</c> section.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>Most events enriched and appended in one transaction (group commit).</summary>
    [Range(1, 100_000)]
    public int MaxAppendBatch { get; set; } = 1000;

    /// <summary>
    /// Most batches of events in the store at once. One batch at a time waits for the writer and takes its events when
    /// its turn comes, so batches grow with the load. 1: the next batch is formed only after the previous has committed.
    /// </summary>
    [Range(1, 64)]
    public int MaxAppendBatchesInFlight { get; set; } = 4;

    /// <summary>Most events waiting to be appended; producers wait (back-pressure) beyond this.</summary>
    [Range(1, 10_000_000)]
    public int AppendQueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// Destinations (tracking token or message id → message) remembered in memory; a destination never changes, so
    /// repeated opens and clicks of a message skip the lookup. 0 turns the cache off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DestinationCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Enrichments (a destination's profile fields, interests, … serialised) remembered in memory, so repeated events
    /// of a message are not enriched again while no profile data has changed (SQLite only). 0 turns the cache off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int EnrichmentCacheSize { get; set; } = 20_000;

    /// <summary>
    /// Whether opens, clicks and other events without a dedupe key are acknowledged once they are in the intake log (an
    /// append-only file, see docs/events.md) and become journal rows in the background, instead of being acknowledged
    /// only once their journal row is committed. <c>Auto</c>: on with SQLite, off with PostgreSQL (whose nodes share no
    /// disk). <c>On</c> is refused with PostgreSQL.
    /// </summary>
    public IntakeLogMode IntakeLog { get; set; } = IntakeLogMode.Auto;

    /// <summary>Directory of the intake log; empty: beside the SQLite database, as <c>&lt;database file&gt;-intake</c>.</summary>
    public string IntakeLogDirectory { get; set; } = "";

    /// <summary>Size at which the intake log starts a new segment file; consumed segments are deleted whole.</summary>
    [Range(1024, 1L << 40)]
    public long IntakeSegmentBytes { get; set; } = 64L << 20;

    /// <summary>Most intake records made into journal rows in one transaction.</summary>
    [Range(1, 100_000)]
    public int IntakeMaterializeBatch { get; set; } = 2000;

    /// <summary>
    /// Most bytes in the intake log not yet made into journal rows. Beyond this, producers wait (back-pressure) until
    /// the journal catches up, so a sustained overload cannot fill the disk.
    /// </summary>
    [Range(1L << 20, 1L << 50)]
    public long IntakeMaxBacklogBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Journal rows are made from the intake log at once while at least this share of the machine's CPU time is idle
    /// (Linux; elsewhere always at once). While the machine is busier, a burst is left in the intake log, within
    /// <see cref="IntakeMaxDeferral"/> and <see cref="IntakeMaxDeferredBytes"/>, so that it does not slow the
    /// acknowledgements down. 0: never defer; 1: always defer (within those limits).
    /// </summary>
    [Range(0.0, 1.0)]
    public double IntakeIdleCpuThreshold { get; set; } = 0.2;

    /// <summary>Longest an event is left in the intake log while the machine is busy; then it is journaled regardless. 0: never defer.</summary>
    public TimeSpan IntakeMaxDeferral { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most bytes left in the intake log while the machine is busy; beyond this they are journaled regardless.</summary>
    [Range(0, 1L << 50)]
    public long IntakeMaxDeferredBytes { get; set; } = 512L << 20;
}

public enum IntakeLogMode { Auto, On, Off }
