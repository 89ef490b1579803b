using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tidings.Journal;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Statistics;

/// <summary>
/// REST v3: Marketing Suite statistics (<c>ms/emailing/{id}/statistics</c>, <c>ms/destination/{id}/statistics</c>) and
/// event lists (deliveries, impressions, clicks, errors, unsubscribes, abuses) per mailing, per destination and for
/// the whole account, with <c>begintime</c>/<c>endtime</c> windows.
/// </summary>
internal static class StatisticsEndpoints
{
    /// <summary>The event lists, by their path segment.</summary>
    public static readonly string[] Lists = [MailingCounters.Deliveries, MailingCounters.Impressions, MailingCounters.Clicks, MailingCounters.Errors, MailingCounters.Unsubscribes, MailingCounters.Abuses];

    private enum Scope { Account, Mailing, Destination }

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Statistics");
        g.MapGet("/ms/emailing/{id}/statistics", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
        {
            var (begin, end) = Window(http.Request, time);
            var statistics = await service.MailingStatisticsAsync(http.Caller().AccountId, id, begin, end, http.RequestAborted);
            return CopernicaJson.Write(w => WriteMailingStatistics(w, statistics.Destinations, statistics.Counts));
        }).WithSummary("Totals and unique counts of a mailing's results, and its dominant results; begintime/endtime count only the events in that window")
          .AddOpenApiOperationTransformer(Parameters(list: false, unique: false));

        g.MapGet("/ms/destination/{id}/statistics", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
        {
            var (begin, end) = Window(http.Request, time);
            var statistics = await service.DestinationStatisticsAsync(http.Caller().AccountId, id, begin, end, http.RequestAborted);
            return CopernicaJson.Write(w => WriteDestinationStatistics(w, statistics));
        }).WithSummary("Result counts of one message (numeric id or message id); clicks.unique counts different links")
          .AddOpenApiOperationTransformer(Parameters(list: false, unique: false));

        foreach (var list in Lists)
        {
            var parameters = Parameters(list: true, unique: list is MailingCounters.Clicks or MailingCounters.Unsubscribes);
            var uniqueNote = list is MailingCounters.Clicks or MailingCounters.Unsubscribes ? "; unique=true: only the first per destination" + (list == MailingCounters.Clicks ? " and link" : "") : "";
            g.MapGet($"/ms/{list}", async (HttpContext http, StatisticsService service, CopernicaTime time) =>
                await ListAsync(http, service, time, StatisticsService.AccountScope(http.Caller().AccountId), list, Scope.Account))
                .WithSummary($"The account's {list}, oldest first; begintime/endtime (YYYY-MM-DD HH:MM:SS){uniqueNote}").AddOpenApiOperationTransformer(parameters);
            g.MapGet($"/ms/emailing/{{id}}/{list}", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
            {
                var scope = await service.MailingScopeAsync(http.Caller().AccountId, id, http.RequestAborted);
                return await ListAsync(http, service, time, scope, list, Scope.Mailing);
            }).WithSummary($"A mailing's {list}, oldest first; begintime/endtime (YYYY-MM-DD HH:MM:SS){uniqueNote}").AddOpenApiOperationTransformer(parameters);
            g.MapGet($"/ms/destination/{{id}}/{list}", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
            {
                var scope = await service.DestinationScopeAsync(http.Caller().AccountId, id, http.RequestAborted);
                return await ListAsync(http, service, time, scope, list, Scope.Destination);
            }).WithSummary($"One message's {list} (numeric id or message id), oldest first; begintime/endtime (YYYY-MM-DD HH:MM:SS){uniqueNote}").AddOpenApiOperationTransformer(parameters);
        }
    }

    /// <summary>Documents the window, paging and <c>unique</c> parameters in the OpenAPI document.</summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Parameters(bool list, bool unique) => (operation, _, _) =>
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("begintime", "Only events at or after this local time, YYYY-MM-DD HH:MM:SS."));
        operation.Parameters.Add(Query("endtime", "Only events at or before this local time (to the end of its second), YYYY-MM-DD HH:MM:SS."));
        if (list)
        {
            operation.Parameters.Add(Query("start", "Offset of the first item (default 0)."));
            operation.Parameters.Add(Query("limit", "Items per page (default 100, at most 1000)."));
            operation.Parameters.Add(Query("total", "false omits the total (saves a count)."));
        }

        if (unique) operation.Parameters.Add(Query("unique", "true: only the first per destination (clicks: per destination and link)."));
        return Task.CompletedTask;
    };

    private static OpenApiParameter Query(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Query, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>
    /// <c>begintime</c> and <c>endtime</c>, local <c>YYYY-MM-DD HH:MM:SS</c>, as Unix ms (either absent: null); the
    /// service counts endtime to the end of its second.
    /// </summary>
    private static (long? Begin, long? End) Window(HttpRequest request, CopernicaTime time)
    {
        long? Parse(string name)
        {
            if (!request.Query.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value.ToString())) return null;
            return time.ParseLocal(value.ToString()) ?? throw new RequestRejectedException($"Invalid value for '{name}': expected YYYY-MM-DD HH:MM:SS");
        }

        var from = Parse("begintime");
        return (from, Parse("endtime"));
    }

    private static async Task<IResult> ListAsync(HttpContext http, StatisticsService service, CopernicaTime time, EventScope scope, string list, Scope kind)
    {
        var (begin, end) = Window(http.Request, time);
        var paging = Paging.From(http.Request);
        var unique = QueryValues.Flag(http.Request, "unique");
        var (items, total) = await service.ListAsync(scope, list, begin, end, unique, paging.Offset, paging.Take, paging.WithTotal, http.RequestAborted);
        return paging.Result(items, total, (w, e) => Record(w, e, list, kind, time));
    }

    private static void WriteMailingStatistics(Utf8JsonWriter w, long destinations, MailingCounts counts)
    {
        w.WriteStartObject();
        w.WriteNumber("destinations", destinations);
        Counter(w, MailingCounters.Deliveries, counts[MailingCounters.Deliveries], withUnique: false);
        Counter(w, MailingCounters.Errors, counts[MailingCounters.Errors]);
        Counter(w, MailingCounters.Impressions, counts[MailingCounters.Impressions]);
        Counter(w, MailingCounters.Clicks, counts[MailingCounters.Clicks]);
        Counter(w, MailingCounters.Unsubscribes, counts[MailingCounters.Unsubscribes]);
        Counter(w, MailingCounters.Abuses, counts[MailingCounters.Abuses]);
        Counter(w, "unknown", new Counter(Math.Max(0, destinations - counts.Settled), 0), withUnique: false);
        Counter(w, MailingCounters.Retries, counts[MailingCounters.Retries]);
        w.WriteStartObject("dominant_results");
        w.WriteNumber("destinations", destinations);
        foreach (var key in new[] { MailingCounters.Errors, MailingCounters.Abuses, MailingCounters.Unsubscribes, MailingCounters.Clicks, MailingCounters.Impressions, MailingCounters.Deliveries })
        {
            w.WriteNumber(key, counts.Dominant.GetValueOrDefault(key));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteDestinationStatistics(Utf8JsonWriter w, DestinationStatistics statistics)
    {
        var count = statistics.Counts;
        var distinctLinks = statistics.DistinctLinksClicked;
        w.WriteStartObject();
        w.WriteString("ID", JsonShapes.Id(statistics.DestinationId));
        Counter(w, MailingCounters.Abuses, new Counter(count[MailingCounters.Abuses], 0), withUnique: false);
        Counter(w, MailingCounters.Clicks, new Counter(count[MailingCounters.Clicks], distinctLinks));
        Counter(w, MailingCounters.Deliveries, new Counter(count[MailingCounters.Deliveries], 0), withUnique: false);
        Counter(w, MailingCounters.Errors, new Counter(count[MailingCounters.Errors], 0), withUnique: false);
        Counter(w, MailingCounters.Impressions, new Counter(count[MailingCounters.Impressions], 0), withUnique: false);
        Counter(w, MailingCounters.Retries, new Counter(count[MailingCounters.Retries], 0), withUnique: false);
        var unsubscribes = count[MailingCounters.Unsubscribes];
        Counter(w, MailingCounters.Unsubscribes, new Counter(unsubscribes, Math.Min(unsubscribes, 1)));
        w.WriteEndObject();
    }

    private static void Counter(Utf8JsonWriter w, string name, Counter c, bool withUnique = true)
    {
        w.WriteStartObject(name);
        w.WriteNumber("total", c.Total);
        if (withUnique) w.WriteNumber("unique", c.Unique);
        w.WriteEndObject();
    }

    /// <summary>One event as Copernica's event lists show it (field names and order as its documentation).</summary>
    private static void Record(Utf8JsonWriter w, EventRow e, string metric, Scope scope, CopernicaTime time)
    {
        var payload = JsonNode.Parse(e.Payload) as JsonObject ?? [];
        w.WriteStartObject();
        w.WriteString("ID", JsonShapes.Id(e.Seq));
        w.WriteString("mailing", JsonShapes.Id(e.MailingId));
        if (metric == MailingCounters.Clicks) WriteText(w, "link", Text(payload, "url"));
        w.WriteString("timestamp", time.FormatMs(e.Occurred));
        switch (metric)
        {
            case MailingCounters.Deliveries:
                w.WriteNumber("attempts", long.TryParse(Text(payload, "attempts"), CultureInfo.InvariantCulture, out var attempts) ? attempts : 0);
                break;
            case MailingCounters.Impressions:
            case MailingCounters.Clicks:
                WriteText(w, "ip", Text(payload, "ip"));
                WriteText(w, "useragent", Text(payload, "useragent"));
                if (metric == MailingCounters.Impressions) w.WriteString("device", Devices.FromUserAgent(Text(payload, "useragent")));
                break;
            case MailingCounters.Errors:
                WriteText(w, "status", Text(payload, "status"));
                w.WriteString("errorcode", Text(payload, "code") ?? "0");
                w.WriteString("description", Text(payload, "description") ?? "");
                w.WriteString("errortype", ErrorType(e.Type, payload));
                break;
            case MailingCounters.Abuses:
                w.WritePropertyName("report");
                if (payload["report"] is JsonObject report) report.WriteTo(w); else { w.WriteStartObject(); w.WriteEndObject(); }
                break;
        }

        w.WriteString("destination", JsonShapes.Id(e.DestinationId));
        if (metric == MailingCounters.Unsubscribes)
        {
            WriteText(w, "source", Text(payload, "source"));
            if (scope == Scope.Mailing) w.WriteBoolean("success", true);
        }

        if (scope == Scope.Mailing || (scope == Scope.Destination && metric != MailingCounters.Unsubscribes))
        {
            WriteText(w, "profile", Text(payload, "profile"));
            WriteText(w, "subprofile", Text(payload, "subprofile"));
        }

        w.WriteEndObject();
    }

    /// <summary>A failure's own <c>errortype</c>; for a DSN bounce, hard (5.x.x) or soft (4.x.x) from its status.</summary>
    private static string ErrorType(string type, JsonObject payload)
    {
        if (Text(payload, "errortype") is { } given) return given;
        if (type != EventTypes.Bounce) return "";
        var status = Text(payload, "status") ?? "";
        return status.StartsWith('5') ? "hard" : status.StartsWith('4') ? "soft" : "";
    }

    private static string? Text(JsonObject payload, string key) => payload[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        var other => other.ToJsonString(),
    };

    private static void WriteText(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }
}
