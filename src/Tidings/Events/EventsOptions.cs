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
    /// Most batches of events handed to the store at once: while one commits, the next waits right behind it. 1 hands
    /// over the next batch only after the previous one has committed.
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
}
