using Microsoft.OpenApi;
using Tidings.Statistics;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Statistics and event lists (Statistics/StatisticsEndpoints.cs).</summary>
internal sealed partial class ComponentSchemas
{
    /// <summary>The component name of each event list's item, by the list's path segment.</summary>
    public static readonly IReadOnlyDictionary<string, string> EventRecords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MailingCounters.Deliveries] = "DeliveryRecord",
        [MailingCounters.Impressions] = "ImpressionRecord",
        [MailingCounters.Clicks] = "ClickRecord",
        [MailingCounters.Errors] = "ErrorRecord",
        [MailingCounters.Unsubscribes] = "UnsubscribeRecord",
        [MailingCounters.Abuses] = "AbuseRecord",
    };

    private void AddStatistics()
    {
        Add("Count", Object(("total", Integer())));
        Add("UniqueCount", Object(("total", Integer()), ("unique", Integer())));
        Add("MailingStatistics", Object("Totals and unique counts of a mailing's results.",
            ("destinations", Integer()),
            (MailingCounters.Deliveries, Ref("Count")),
            (MailingCounters.Errors, Ref("UniqueCount")),
            (MailingCounters.Impressions, Ref("UniqueCount")),
            (MailingCounters.Clicks, Ref("UniqueCount")),
            (MailingCounters.Unsubscribes, Ref("UniqueCount")),
            (MailingCounters.Abuses, Ref("UniqueCount")),
            ("unknown", Ref("Count")),
            (MailingCounters.Retries, Ref("UniqueCount")),
            ("dominant_results", Object("Destinations by the strongest result each reached.",
                ("destinations", Integer()), (MailingCounters.Errors, Integer()), (MailingCounters.Abuses, Integer()), (MailingCounters.Unsubscribes, Integer()),
                (MailingCounters.Clicks, Integer()), (MailingCounters.Impressions, Integer()), (MailingCounters.Deliveries, Integer())))));
        Add("DestinationStatistics", Object("Result counts of one message; clicks.unique counts different links.",
            ("ID", Id()),
            (MailingCounters.Abuses, Ref("Count")),
            (MailingCounters.Clicks, Ref("UniqueCount")),
            (MailingCounters.Deliveries, Ref("Count")),
            (MailingCounters.Errors, Ref("Count")),
            (MailingCounters.Impressions, Ref("Count")),
            (MailingCounters.Retries, Ref("Count")),
            (MailingCounters.Unsubscribes, Ref("UniqueCount"))));

        // Every record has these; profile and subprofile only in the lists of a mailing or a message.
        (string, IOpenApiSchema)[] Record(params (string, IOpenApiSchema)[] own) =>
        [
            ("ID", Id()), ("mailing", Id()), ("timestamp", Time()), .. own, ("destination", Id()),
            ("profile?", NullableId("In the lists of a mailing or of a message.")), ("subprofile?", NullableId("In the lists of a mailing or of a message.")),
        ];
        Add("DeliveryRecord", Object(Record(("attempts", Integer("Earlier attempts.")))));
        Add("ImpressionRecord", Object(Record(("ip", NullableString()), ("useragent", NullableString()), ("device", String("The kind of device, from the user agent.")))));
        Add("ClickRecord", Object(Record(("link", NullableString("The URL clicked.")), ("ip", NullableString()), ("useragent", NullableString()))));
        Add("ErrorRecord", Object(Record(
            ("status", NullableString("Extended status code (5.1.1).")),
            ("errorcode", String("SMTP reply code, \"0\" when unknown.")),
            ("description", String()),
            ("errortype", String("hard, soft, or \"\" when unknown.")))));
        Add("UnsubscribeRecord", Object(Record(
            ("source", NullableString("link or one-click.")),
            ("success?", Boolean("In a mailing's list: always true.")))));
        Add("AbuseRecord", Object(Record(("report", MapOf(new OpenApiSchema(), "The complaint (feedback-loop report) as received.")))));
        foreach (var (list, record) in EventRecords) AddList(record[..^"Record".Length] + "List", record, $"The {list}, oldest first.");
    }
}
