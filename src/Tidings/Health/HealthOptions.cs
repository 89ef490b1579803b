using System.ComponentModel.DataAnnotations;

namespace Tidings.Health;

/// <summary>The readiness endpoint's settings (<c>Health</c> section); see docs/operations.md, "Health".</summary>
internal sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Fewest bytes free for the data folder (and the intake log's folder) to count as not nearly full. 0: no floor.</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeDiskBytes { get; set; } = 512L << 20;

    /// <summary>Smallest share of the disk, in percent, that must be free. 0: no floor.</summary>
    [Range(0.0, 100.0)]
    public double MinFreeDiskPercent { get; set; } = 1;

    /// <summary>How long one run of the readiness checks answers every request (so a storm of probes costs one run).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest the database check may take before it counts as failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
