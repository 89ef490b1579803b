using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;
using Tidings.LogFiles;
using Tidings.Rejections;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// A log file download behind the dashboard's sign-in (no access token in the URL): planned by
/// <see cref="LogFileService"/> and written by <see cref="LogFileStreamer"/> exactly as REST <c>GET logfile/{name}/{format}</c>
/// does, so the bytes are the same; sent as an attachment named after the file and format.
/// </summary>
internal sealed class LogFileDownloadModel(LogFileService logFiles, LogFileStreamer streamer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string name, string format)
    {
        var account = DashboardClaims.Require(User).AccountId;
        LogFileDownload download;
        try { download = await logFiles.PlanDownloadAsync(account, name, format, "", "", "", HttpContext.RequestAborted); }
        catch (RequestRejectedException) { return NotFound(); }

        return new StreamedLogFile(streamer, download);
    }

    private sealed class StreamedLogFile(LogFileStreamer streamer, LogFileDownload download) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            var fileName = download.Plan.Name.ToString();
            fileName = fileName[..^".log".Length] + "." + download.Format;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = LogFileWriter.ContentType(download.Format);
            response.Headers[LogFileEndpoints.LastSeqHeader] = download.LastSeq.ToString(CultureInfo.InvariantCulture);
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
            return streamer.WriteAsync(response, download.Plan, download.Format, download.CsvHeader, context.HttpContext.RequestAborted);
        }
    }
}
