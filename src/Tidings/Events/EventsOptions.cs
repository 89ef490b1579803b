using System.ComponentModel.DataAnnotations;

namespace Tidings.Events;

/// <summary>The event journal. Bound from the <c>Events</c> section.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>Most events enriched and appended in one transaction (group commit).</summary>
    [Range(1, 100_000)]
    public int MaxAppendBatch { get; set; } = 1000;

    /// <summary>Most events waiting to be appended; producers wait (back-pressure) beyond this.</summary>
    [Range(1, 10_000_000)]
    public int AppendQueueCapacity { get; set; } = 100_000;
}
