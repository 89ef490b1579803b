using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.LogFiles;

namespace Tidings.Dashboard.Pages;

/// <summary>One day's log files: its types, and whether the day is still going on (its files still grow).</summary>
internal sealed record LogFileDay(DateOnly Date, bool Today, IReadOnlyList<LogFileName> Files);

/// <summary>
/// The account's log files per day and type, newest day first, listed by <see cref="LogFileService"/> as
/// <c>GET logfiles</c> lists them, with links to download each as CSV, JSON or XML through the dashboard.
/// </summary>
internal sealed class LogFilesModel(LogFileService logFiles, LocalDays days, TimeProvider time) : PageModel
{
    public const string Path = "/dashboard/logfiles";

    public IReadOnlyList<LogFileDay> Days { get; private set; } = [];

    /// <summary>The time zone the days are in (the API's, as for REST).</summary>
    public string Zone => days.Zone.Id;

    public static IReadOnlyList<string> Formats => LogFileService.Formats;

    public static string DownloadPath(LogFileName file, string format) =>
        $"{Path}/{Uri.EscapeDataString(file.ToString())}/{format}";

    public async Task OnGetAsync()
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        // One listing per type costs one index seek per (type, day) that has records, as the dates listing does.
        var files = new List<LogFileName>();
        foreach (var type in LogFileTypes.All)
        {
            files.AddRange((await logFiles.ListAsync(account, "", type.Name, ct)).Select(LogFileName.Parse));
        }

        var today = days.DayOf(time.GetUtcNow().ToUnixTimeMilliseconds());
        Days = files.GroupBy(f => f.Date).OrderByDescending(g => g.Key)
            .Select(g => new LogFileDay(g.Key, g.Key == today, g.OrderBy(f => f.Type.Name, StringComparer.Ordinal).ToList()))
            .ToList();
    }
}
