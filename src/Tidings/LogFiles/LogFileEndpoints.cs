using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.LogFiles;

/// <summary>REST v3 log files: <c>GET logfiles</c> (dates or names) and <c>GET logfile/{name}/csv|json|xml</c>.</summary>
public static class LogFileEndpoints
{
    /// <summary>Response header with the seq of the last row the download contains; pass it back as <c>after</c>.</summary>
    public const string LastSeqHeader = "X-Tidings-Last-Seq";

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Log files");
        g.MapGet("/logfiles", async (HttpContext http, LogFileStore store) =>
        {
            var accountId = http.Caller().AccountId;
            var dateText = http.Request.Query["date"].ToString();
            var type = http.Request.Query["type"].ToString();
            if (dateText.Length == 0 && type.Length == 0)
            {
                var dates = await store.DatesAsync(accountId, http.RequestAborted);
                return CopernicaJson.Write(w => StringArray(w, dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
            }

            DateOnly? date = null;
            if (dateText.Length > 0) date = LogFileName.ParseDate(dateText) ?? throw new RequestRejectedException(LogFileName.InvalidDate);
            var names = await store.NamesAsync(accountId, date, type.Length > 0 ? type : null, http.RequestAborted);
            return CopernicaJson.Write(w => StringArray(w, names));
        }).WithSummary("Without parameters: the dates (YYYY-MM-DD, oldest first) that have log files. With date and/or type: the names of those log files");

        g.MapGet("/logfile/{name}/{format}", async (HttpContext http, string name, string format, LogFileStore store, LogFileStreamer streamer, IOptions<LogFilesOptions> options) =>
        {
            if (format is not ("csv" or "json" or "xml")) throw new RequestRejectedException(CopernicaErrors.InvalidMethod);
            var file = LogFileName.Parse(name);
            var query = http.Request.Query;
            var fromMs = query["from"].ToString() is { Length: > 0 } from ? ParseFrom(from) : (long?)null;
            var after = query["after"].ToString() is { Length: > 0 } a ? ParseAfter(a) : (long?)null;
            var header = format == "csv" && (query["header"].ToString() is { Length: > 0 } h ? ParseFlag(h) : options.Value.CsvHeaderByDefault);
            var plan = await store.PlanAsync(http.Caller().AccountId, file, fromMs, after, http.RequestAborted);
            return new LogFileResult(streamer, plan, format, header);
        }).WithSummary("Download a log file (<type>.<YYYY-MM-DD>.log) as csv, json or xml. from=<unix time>: only entries after it; after=<seq>: only entries after the one with that seq (see the X-Tidings-Last-Seq header); header=true: CSV with a header row");
    }

    /// <summary>A Unix timestamp in seconds, fractions allowed, as whole milliseconds (rounded down).</summary>
    internal static long ParseFrom(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || seconds < -62_135_596_800m || seconds > 253_402_300_799m)
        {
            throw new RequestRejectedException("Invalid from parameter");
        }

        return (long)decimal.Floor(seconds * 1000m);
    }

    private static long ParseAfter(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : throw new RequestRejectedException("Invalid after parameter");

    private static bool ParseFlag(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new RequestRejectedException("Invalid header parameter"),
    };

    private static void StringArray(Utf8JsonWriter w, IEnumerable<string> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private sealed class LogFileResult(LogFileStreamer streamer, LogFileQuery plan, string format, bool header) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = LogFileWriter.ContentType(format);
            http.Response.Headers[LastSeqHeader] = (plan.LastSeq ?? plan.AfterSeq).ToString(CultureInfo.InvariantCulture);
            return streamer.WriteAsync(http.Response, plan, format, header, http.RequestAborted);
        }
    }
}

/// <summary>
/// Turns the journal records of a planned download into rows of the file's columns and writes them in the requested
/// format, flushing every <see cref="LogFilesOptions.FlushEveryRows"/> rows or <see cref="LogFilesOptions.FlushEveryBytes"/>
/// bytes. Usable by any endpoint that offers log file downloads (the REST API, later the dashboard).
/// </summary>
public sealed class LogFileStreamer(LogFileStore store, LocalDays days, IOptions<LogFilesOptions> options)
{
    public async Task WriteAsync(HttpResponse response, LogFileQuery plan, string format, bool csvHeader, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var columns = plan.Name.Type.Columns;
        var values = new LogValue[columns.Count];
        await using var writer = LogFileWriter.Create(format, response, csvHeader);
        await writer.BeginAsync(columns, cancellationToken);
        var rows = 0;
        await foreach (var record in store.ReadAsync(plan, cancellationToken))
        {
            using (var doc = JsonDocument.Parse(record.Payload))
            {
                var source = new LogSource(record.Type, days.Format(record.Occurred), doc.RootElement);
                for (var i = 0; i < columns.Count; i++) values[i] = columns[i].Value(source);
            }

            await writer.WriteRowAsync(columns, values, cancellationToken);
            if (++rows >= o.FlushEveryRows || writer.Unflushed >= o.FlushEveryBytes)
            {
                await writer.FlushAsync(cancellationToken);
                rows = 0;
            }
        }

        await writer.EndAsync(cancellationToken);
    }
}
