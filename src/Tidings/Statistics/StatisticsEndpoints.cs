using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tidings.Journal;
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

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Statistics");
        g.MapGet("/ms/emailing/{id}/statistics", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
        {
            var (begin, end) = Window(http.Request, time);
            var statistics = await service.MailingStatisticsAsync(http.Caller().AccountId, id, begin, end, http.RequestAborted);
            return CopernicaJson.Json(MailingStatisticsAnswer.From(statistics), StatisticsJsonContext.Default.MailingStatisticsAnswer);
        }).WithSummary("Totals and unique counts of a mailing's results, and its dominant results; begintime/endtime count only the events in that window")
          .AddOpenApiOperationTransformer(Parameters(list: false, unique: false));

        g.MapGet("/ms/destination/{id}/statistics", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
        {
            var (begin, end) = Window(http.Request, time);
            var statistics = await service.DestinationStatisticsAsync(http.Caller().AccountId, id, begin, end, http.RequestAborted);
            return CopernicaJson.Json(DestinationStatisticsAnswer.From(statistics), StatisticsJsonContext.Default.DestinationStatisticsAnswer);
        }).WithSummary("Result counts of one message (numeric id or message id); clicks.unique counts different links")
          .AddOpenApiOperationTransformer(Parameters(list: false, unique: false));

        foreach (var list in Lists)
        {
            var parameters = Parameters(list: true, unique: list is MailingCounters.Clicks or MailingCounters.Unsubscribes);
            var uniqueNote = list is MailingCounters.Clicks or MailingCounters.Unsubscribes ? "; unique=true: only the first per destination" + (list == MailingCounters.Clicks ? " and link" : "") : "";
            g.MapGet($"/ms/{list}", async (HttpContext http, StatisticsService service, CopernicaTime time) =>
                await ListAsync(http, service, time, StatisticsService.AccountScope(http.Caller().AccountId), list, ListScope.Account))
                .WithSummary($"The account's {list}, oldest first; begintime/endtime (YYYY-MM-DD HH:MM:SS){uniqueNote}").AddOpenApiOperationTransformer(parameters);
            g.MapGet($"/ms/emailing/{{id}}/{list}", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
            {
                var scope = await service.MailingScopeAsync(http.Caller().AccountId, id, http.RequestAborted);
                return await ListAsync(http, service, time, scope, list, ListScope.Mailing);
            }).WithSummary($"A mailing's {list}, oldest first; begintime/endtime (YYYY-MM-DD HH:MM:SS){uniqueNote}").AddOpenApiOperationTransformer(parameters);
            g.MapGet($"/ms/destination/{{id}}/{list}", async (HttpContext http, string id, StatisticsService service, CopernicaTime time) =>
            {
                var scope = await service.DestinationScopeAsync(http.Caller().AccountId, id, http.RequestAborted);
                return await ListAsync(http, service, time, scope, list, ListScope.Destination);
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

    private static async Task<IResult> ListAsync(HttpContext http, StatisticsService service, CopernicaTime time, EventScope scope, string list, ListScope kind)
    {
        var (begin, end) = Window(http.Request, time);
        var paging = Paging.From(http.Request);
        var unique = QueryValues.Flag(http.Request, "unique");
        var (items, total) = await service.ListAsync(scope, list, begin, end, unique, paging.Offset, paging.Take, paging.WithTotal, http.RequestAborted);
        return EventAnswers.Page(paging, items, total, list, kind, time);
    }
}
