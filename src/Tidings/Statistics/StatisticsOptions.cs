using System.ComponentModel.DataAnnotations;

namespace Tidings.Statistics;

/// <summary>The statistics consumer. Bound from the <c>Statistics</c> section.</summary>
internal sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>Most journal records the consumer reads and counts in one transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often (milliseconds) the consumer looks for new journal records when it has caught up.</summary>
    [Range(10, 600_000)]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>
    /// Per-destination results the consumer keeps in memory between batches (so a batch reads from the database only
    /// the destinations it has not seen); the cache is emptied when full, and whenever another node counted meanwhile.
    /// 0 turns it off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DestinationCacheSize { get; set; } = 100_000;
}
