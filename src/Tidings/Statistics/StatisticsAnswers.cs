using System.Globalization;
using System.Text.Json.Serialization;

namespace Tidings.Statistics;

/// <summary>A counter: <c>total</c>, and <c>unique</c> where Copernica shows it.</summary>
internal sealed record CounterAnswer(long Total, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Unique)
{
    public static CounterAnswer Both(Counter c) => new(c.Total, c.Unique);

    public static CounterAnswer TotalOnly(long total) => new(total, null);
}

/// <summary><c>GET ms/emailing/{id}/statistics</c> in Copernica's key order.</summary>
internal sealed record MailingStatisticsAnswer(
    long Destinations,
    CounterAnswer Deliveries,
    CounterAnswer Errors,
    CounterAnswer Impressions,
    CounterAnswer Clicks,
    CounterAnswer Unsubscribes,
    CounterAnswer Abuses,
    CounterAnswer Unknown,
    CounterAnswer Retries,
    [property: JsonPropertyName("dominant_results")] DominantResultsAnswer DominantResults)
{
    public static MailingStatisticsAnswer From(MailingStatistics statistics)
    {
        var (destinations, counts) = (statistics.Destinations, statistics.Counts);
        long Dominant(string metric) => counts.Dominant.GetValueOrDefault(metric);
        return new MailingStatisticsAnswer(
            destinations,
            CounterAnswer.TotalOnly(counts[MailingCounters.Deliveries].Total),
            CounterAnswer.Both(counts[MailingCounters.Errors]),
            CounterAnswer.Both(counts[MailingCounters.Impressions]),
            CounterAnswer.Both(counts[MailingCounters.Clicks]),
            CounterAnswer.Both(counts[MailingCounters.Unsubscribes]),
            CounterAnswer.Both(counts[MailingCounters.Abuses]),
            CounterAnswer.TotalOnly(Math.Max(0, destinations - counts.Settled)),
            CounterAnswer.Both(counts[MailingCounters.Retries]),
            new DominantResultsAnswer(
                destinations, Dominant(MailingCounters.Errors), Dominant(MailingCounters.Abuses), Dominant(MailingCounters.Unsubscribes),
                Dominant(MailingCounters.Clicks), Dominant(MailingCounters.Impressions), Dominant(MailingCounters.Deliveries)));
    }
}

/// <summary>How many destinations each result dominates, strongest first.</summary>
internal sealed record DominantResultsAnswer(long Destinations, long Errors, long Abuses, long Unsubscribes, long Clicks, long Impressions, long Deliveries);

/// <summary>
/// <c>GET ms/destination/{id}/statistics</c>: one message's counts in alphabetical order as Copernica has them;
/// <c>clicks.unique</c> counts different links, <c>unsubscribes.unique</c> is at most 1.
/// </summary>
internal sealed record DestinationStatisticsAnswer(
    [property: JsonPropertyName("ID")] string Id,
    CounterAnswer Abuses,
    CounterAnswer Clicks,
    CounterAnswer Deliveries,
    CounterAnswer Errors,
    CounterAnswer Impressions,
    CounterAnswer Retries,
    CounterAnswer Unsubscribes)
{
    public static DestinationStatisticsAnswer From(DestinationStatistics statistics)
    {
        var count = statistics.Counts;
        var unsubscribes = count[MailingCounters.Unsubscribes];
        return new DestinationStatisticsAnswer(
            statistics.DestinationId.ToString(CultureInfo.InvariantCulture),
            CounterAnswer.TotalOnly(count[MailingCounters.Abuses]),
            new CounterAnswer(count[MailingCounters.Clicks], statistics.DistinctLinksClicked),
            CounterAnswer.TotalOnly(count[MailingCounters.Deliveries]),
            CounterAnswer.TotalOnly(count[MailingCounters.Errors]),
            CounterAnswer.TotalOnly(count[MailingCounters.Impressions]),
            CounterAnswer.TotalOnly(count[MailingCounters.Retries]),
            new CounterAnswer(unsubscribes, Math.Min(unsubscribes, 1)));
    }
}
