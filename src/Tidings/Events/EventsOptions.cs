using System.ComponentModel.DataAnnotations;

namespace Tidings.Events;

/// <summary>The event journal. Bound from the <c>Events</c> section.</summary>
internal sealed class EventsOptions
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
    /// How long profile and subprofile change records (create, update, delete) are kept in the journal; older ones are
    /// deleted by the retention sweep, but never one a journal consumer has not passed. 00:00:00 keeps them for ever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan ProfileEventRetention { get; set; } = TimeSpan.FromDays(30);
}
