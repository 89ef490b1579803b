using System.ComponentModel.DataAnnotations;

namespace Tidings.Consumption;

/// <summary>Counting of API calls for <c>GET consumption</c>. Bound from the <c>Consumption</c> section.</summary>
internal sealed class ConsumptionOptions
{
    public const string Section = "Consumption";

    /// <summary>
    /// How often the API calls counted in memory are added to storage (also on shutdown). Calls not yet written are
    /// still part of every <c>consumption</c> answer of this node; a crash loses at most this much counting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ApiCallFlushInterval { get; set; } = TimeSpan.FromMinutes(1);
}
