using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;
using Tidings.Hosting;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.LogFiles;

/// <summary>REST v3 log files: <c>GET logfiles</c> (dates or names) and <c>GET logfile/{name}/csv|json|xml</c>.</summary>
internal static class LogFileEndpoints
{
    /// <summary>Response header with the seq of the last row the download contains; pass it back as <c>after</c>.</summary>
    public const string LastSeqHeader = "X-Tidings-Last-Seq";

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Log files");
        g.MapGet("/logfiles", async (HttpContext http, LogFileService service) =>
        {
            var query = http.Request.Query;
            var items = await service.ListAsync(http.Caller().AccountId, query["date"].ToString(), query["type"].ToString(), http.RequestAborted);
            return CopernicaJson.Json(items, RestJsonContext.Default.IReadOnlyListString);
        }).WithSummary("Without parameters: the dates (YYYY-MM-DD, oldest first) that have log files. With date and/or type: the names of those log files");

        g.MapGet("/logfile/{name}/{format}", async (HttpContext http, string name, string format, LogFileService service, LogFileStreamer streamer) =>
        {
            var query = http.Request.Query;
            var download = await service.PlanDownloadAsync(
                http.Caller().AccountId, name, format, query["from"].ToString(), query["after"].ToString(), query["header"].ToString(), http.RequestAborted);
            return new LogFileResult(streamer, download);
        }).WithSummary("Download a log file (<type>.<YYYY-MM-DD>.log) as csv, json or xml. from=<unix time>: only entries after it; after=<seq>: only entries after the one with that seq (see the X-Tidings-Last-Seq header); header=true: CSV with a header row");
    }

    private sealed class LogFileResult(LogFileStreamer streamer, LogFileDownload download) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = LogFileWriter.ContentType(download.Format);
            http.Response.Headers[LastSeqHeader] = download.LastSeq.ToString(CultureInfo.InvariantCulture);
            return streamer.WriteAsync(http.Response, download.Plan, download.Format, download.CsvHeader, http.RequestAborted);
        }
    }
}

/// <summary>
/// Turns the journal records of a planned download into rows of the file's columns and writes them in the requested
/// format, flushing every <see cref="LogFilesOptions.FlushEveryRows"/> rows or <see cref="LogFilesOptions.FlushEveryBytes"/>
/// bytes. Usable by any endpoint that offers log file downloads (the REST API, the dashboard). The first page is read
/// before anything is sent, so that a download refused for want of a streaming read connection is answered with an
/// error (429); a client that stops taking the data is cut off by <see cref="StalledResponses"/>.
/// </summary>
internal sealed partial class LogFileStreamer(LogFileStore store, LocalDays days, StalledResponses stalls, DownloadTurns turns, LogFilesMetrics metrics,
    IOptions<LogFilesOptions> options, ILogger<LogFileStreamer> logger)
{
    public async Task WriteAsync(HttpResponse response, LogFileQuery plan, string format, bool csvHeader, CancellationToken cancellationToken)
    {
        var http = response.HttpContext;
        await using var records = store.ReadAsync(plan, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        var turn = await turns.TakeAsync(cancellationToken);
        try
        {
            more = await records.MoveNextAsync();
        }
        catch (StreamingReadsBusyException ex) when (!response.HasStarted)
        {
            turn.Dispose();
            response.Clear();
            response.Headers.RetryAfter = ex.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await CopernicaJson.WriteErrorAsync(http, ex.Message, StatusCodes.Status429TooManyRequests);
            return;
        }

        LimitSendBuffer(http);
        using var watch = stalls.Watch(http, $"Log file download {plan.Name}");
        try
        {
            await WriteRowsAsync(response, records, more, turn, watch, plan, format, csvHeader, cancellationToken);
        }
        catch (StreamingReadsBusyException)
        {
            // Headers and part of the file are out: ending the connection is the only way left to say it is incomplete.
            LogEndedWithoutReader(plan.Name.ToString());
            http.Abort();
        }
        catch (Exception) when (watch.CutOff || http.RequestAborted.IsCancellationRequested)
        {
            // The client left, or was cut off (logged then): nothing more can reach it.
        }
        finally
        {
            turn.Dispose();
        }
    }

    /// <summary>
    /// Caps the kernel's send buffer of the download's connection (<see cref="LogFilesOptions.SendBufferBytes"/>). Left
    /// to grow on its own (up to 4 MiB on Linux), it lets a client that reads nothing make the server format megabytes
    /// before a write blocks: with a few hundred such clients, seconds of CPU that normal requests wait behind.
    /// </summary>
    private void LimitSendBuffer(HttpContext http)
    {
        var bytes = options.Value.SendBufferBytes;
        if (bytes == 0 || http.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket) return;
        try
        {
            socket.SendBufferSize = bytes;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client has gone already: the download ends at its first write.
        }
    }

    /// <summary>
    /// Writes the rows, holding a formatting turn (<see cref="DownloadTurns"/>) while it makes each chunk and giving
    /// it back while the chunk is flushed to the client.
    /// </summary>
    private async Task WriteRowsAsync(HttpResponse response, IAsyncEnumerator<JournalEntry> records, bool more, DownloadTurns.Turn turn,
        StalledResponses.ResponseWatch watch, LogFileQuery plan, string format, bool csvHeader, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var columns = plan.Name.Type.Columns;
        var values = new LogValue[columns.Count];
        await using var writer = LogFileWriter.Create(format, response, csvHeader);
        await writer.BeginAsync(columns, cancellationToken);
        var rows = 0;
        long streamed = 0; // counted at each flush (the closing bracket or tag of a file is left out)
        try
        {
            for (; more; more = await records.MoveNextAsync())
            {
                var record = records.Current;
                using (var doc = JsonDocument.Parse(record.Payload))
                {
                    var source = new LogSource(record.Type, days.Format(record.Occurred), doc.RootElement);
                    for (var i = 0; i < columns.Count; i++) values[i] = columns[i].Value(source);
                }

                await writer.WriteRowAsync(columns, values, cancellationToken);
                if (++rows >= o.FlushEveryRows || writer.Unflushed >= o.FlushEveryBytes)
                {
                    streamed += writer.Unflushed;
                    turn.Dispose();
                    await writer.FlushAsync(cancellationToken);
                    watch.Progress();
                    rows = 0;
                    turn = await turns.TakeAsync(cancellationToken);
                }
            }

            streamed += writer.Unflushed;
            turn.Dispose();
            await writer.EndAsync(cancellationToken);
        }
        finally
        {
            turn.Dispose();
            metrics.Streamed(streamed, format);
        }
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning,
        Message = "Log file download {Name} ended early: no streaming read connection became free in time")]
    private partial void LogEndedWithoutReader(string name);
}
