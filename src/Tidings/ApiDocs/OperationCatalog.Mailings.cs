using System.Globalization;
using Tidings.LogFiles;
using Tidings.Statistics;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Rows: mailings and destinations, statistics and event lists, the mail transfer agent, log files.</summary>
internal static partial class OperationCatalog
{
    private static IEnumerable<ApiOperation> Mailings() =>
    [
        Create("/v3/ms/emailing", "createMailing", "MailingInput", required: true),
        Get("/v3/ms/emailings", "listMailings", "MailingList", Query(Paging,
        [
            new("type", "mass or individual.", () => Enum("mass", "individual")),
            new("mindestinations", "At least this many destinations.", () => Integer()),
            new("maxdestinations", "At most this many destinations.", () => Integer()),
            new("fromdate", "Created at or after this local time, YYYY-MM-DD HH:MM:SS.", () => String()),
            new("todate", "Created at or before this local time, YYYY-MM-DD HH:MM:SS.", () => String()),
        ])),
        Get("/v3/ms/emailing/{id}", "getMailing", "Mailing"),
        Get("/v3/ms/emailing/{id}/destinations", "listMailingDestinations", "DestinationList", Paging),
        Get("/v3/ms/destination/{id}", "getDestination", "Destination"),
    ];

    private static IEnumerable<ApiOperation> Statistics()
    {
        yield return Get("/v3/ms/emailing/{id}/statistics", "getMailingStatistics", "MailingStatistics", Window);
        yield return Get("/v3/ms/destination/{id}/statistics", "getDestinationStatistics", "DestinationStatistics", Window);
        foreach (var list in StatisticsEndpoints.Lists)
        {
            var name = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(list);
            var schema = ComponentSchemas.EventRecords[list][..^"Record".Length] + "List";
            ApiParameter[] unique = list is MailingCounters.Clicks or MailingCounters.Unsubscribes
                ? [new("unique", "true: only the first per destination" + (list == MailingCounters.Clicks ? " and link." : "."), () => Flag())]
                : [];
            var query = Query(Window, Paging, unique);
            yield return Get($"/v3/ms/{list}", "list" + name, schema, query);
            yield return Get($"/v3/ms/emailing/{{id}}/{list}", "listMailing" + name, schema, query);
            yield return Get($"/v3/ms/destination/{{id}}/{list}", "listDestination" + name, schema, query);
        }
    }

    private static IEnumerable<ApiOperation> MailTransferAgent() =>
    [
        new("POST", "/v3/mta/results", "reportMtaResults")
        {
            Body = new ApiBody("A JSON array of results, or JSON lines (one result per line; chosen by Content-Type application/x-ndjson, " +
                "or when the body does not start with [).", true, [("application/json", "MtaResults"), ("application/x-ndjson", null)]),
            Replies =
            [
                Json("MtaResultsSummary", "Every result was well-formed and is recorded (once)."),
                Json("MtaResultsError", "The body is unusable, or some results are malformed: those are listed and not stored, the others were processed.", "400"),
            ],
        },
        new("POST", "/v3/mta/dsn", "reportMtaDsn")
        {
            Body = new ApiBody("A raw RFC 3464 delivery status notification (the whole message, or its multipart/report body with the boundary in Content-Type).",
                true, [("message/rfc822", null), ("multipart/report", null)]),
            Replies = [Json("DsnSummary", "Recorded as bounce, retry or delivery per recipient.")],
        },
    ];

    private static IEnumerable<ApiOperation> LogFiles() =>
    [
        Get("/v3/logfiles", "listLogFiles", "LogFileNames",
            new ApiParameter("date", "A day, YYYY-MM-DD: the names of its files.", () => String()),
            new ApiParameter("type", "A log file type (cdm-click, …): the names of its files.", () => String())),
        new("GET", "/v3/logfile/{name}/{format}", "getLogFile")
        {
            Parameters =
            [
                new("name", "<type>.<YYYY-MM-DD>.log, e.g. cdm-click.2026-03-24.log.", () => String(), Microsoft.OpenApi.ParameterLocation.Path, Required: true),
                new("format", "csv, json or xml.", () => Enum("csv", "json", "xml"), Microsoft.OpenApi.ParameterLocation.Path, Required: true),
                new("from", "Unix time (seconds, fractions allowed): only entries after it.", () => Number()),
                new("after", $"A seq: only entries after the one with that seq (see {LogFileEndpoints.LastSeqHeader}).", () => Integer()),
                new("header", "csv: true adds a header row (default LogFiles:CsvHeaderByDefault).", () => Flag()),
            ],
            Replies =
            [
                new ApiReply("200")
                {
                    Description = "The file, streamed.",
                    Content = [("text/csv", null), ("application/json", "LogFileRecords"), ("application/xml", null)],
                    Headers = [(LogFileEndpoints.LastSeqHeader, "The seq of the last entry sent; pass it as after to fetch only newer entries.")],
                },
            ],
        },
    ];
}
