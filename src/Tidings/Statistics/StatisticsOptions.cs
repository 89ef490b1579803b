using System.ComponentModel.DataAnnotations;

namespace Tidings.Statistics;

/// <summary>The statistics consumer. Bound from the <c>Statistics</c> section.</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>Most journal records the consumer reads and counts in one transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often (milliseconds) the consumer looks for new journal records when it has caught up.</summary>
    [Range(10, 600_000)]
    public int PollIntervalMs { get; set; } = 1000;
}
