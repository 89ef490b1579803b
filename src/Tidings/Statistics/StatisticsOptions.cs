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

    /// <summary>
    /// PostgreSQL only: how long (milliseconds) the consumer waits for a missing sequence number before it treats it
    /// as a number that will never be committed. Concurrent transactions may commit their journal records out of
    /// order; waiting keeps the cursor from passing a record that is about to appear.
    /// </summary>
    [Range(0, 600_000)]
    public int GapWaitMs { get; set; } = 5000;
}
