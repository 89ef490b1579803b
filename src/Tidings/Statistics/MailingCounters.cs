using Tidings.Journal;

namespace Tidings.Statistics;

/// <summary>
/// What the statistics count: which journal types feed which metric, and the dominant result of a destination.
/// </summary>
internal static class MailingCounters
{
    public const string Deliveries = "deliveries";
    public const string Errors = "errors";
    public const string Impressions = "impressions";
    public const string Clicks = "clicks";
    public const string Unsubscribes = "unsubscribes";
    public const string Abuses = "abuses";
    public const string Retries = "retries";

    /// <summary>Destinations with a known delivery outcome (a delivery or an error); the rest is <c>unknown</c>.</summary>
    public const string Settled = "settled";

    /// <summary>Journal type of a complaint (abuse report), for when a feedback-loop producer appends them.</summary>
    public const string AbuseEventType = "abuse";

    /// <summary>The counted metrics, in the order of the columns of <c>destination_results</c>.</summary>
    public static readonly string[] All = [Deliveries, Errors, Impressions, Clicks, Unsubscribes, Abuses, Retries];

    /// <summary>
    /// Dominant-result rank of each metric (index as <see cref="All"/>); the highest rank a destination reached is
    /// its dominant result. Complaint beats unsubscribe beats click beats impression beats error beats delivery
    /// ("no response"); a retry is no result.
    /// </summary>
    private static readonly int[] Ranks = [1, 2, 3, 4, 5, 6, 0];

    /// <summary>Keys of <c>dominant_results</c> by rank (rank 0, no result yet, is not shown).</summary>
    public static readonly string[] DominantByRank = ["", Deliveries, Errors, Impressions, Clicks, Unsubscribes, Abuses];

    public static string DominantMetric(int rank) => "dominant." + DominantByRank[rank];

    public static int Rank(int metricIndex) => Ranks[metricIndex];

    /// <summary>The metric a journal type counts for, as an index into <see cref="All"/>; -1 for none.</summary>
    public static int IndexOfType(string type) => type switch
    {
        EventTypes.Delivery => 0,
        EventTypes.Failure or EventTypes.Bounce => 1,
        EventTypes.Open => 2,
        EventTypes.Click => 3,
        EventTypes.Unsubscribe => 4,
        AbuseEventType => 5,
        EventTypes.Retry => 6,
        _ => -1,
    };

    /// <summary>The journal types of a metric (an event list).</summary>
    public static string[] TypesOf(string metric) => metric switch
    {
        Deliveries => [EventTypes.Delivery],
        Errors => [EventTypes.Failure, EventTypes.Bounce],
        Impressions => [EventTypes.Open],
        Clicks => [EventTypes.Click],
        Unsubscribes => [EventTypes.Unsubscribe],
        Abuses => [AbuseEventType],
        Retries => [EventTypes.Retry],
        _ => [],
    };

    public static readonly string[] CountedTypes = All.SelectMany(TypesOf).ToArray();

    /// <summary>What the journal's window queries count, by journal type.</summary>
    public static readonly CountedTypes ForJournal = new(
        All.SelectMany(m => TypesOf(m).Select(t => (t, m))).ToList(),
        All.SelectMany((m, i) => TypesOf(m).Select(t => (t, Ranks[i]))).ToList(),
        TypesOf(Deliveries).Concat(TypesOf(Errors)).ToList());
}
