using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.LogFiles;
using Tidings.Statistics;

namespace Tidings.Dashboard.Pages;

/// <summary>One day's log files: its types, and whether the day is still going on (its files still grow).</summary>
internal sealed record LogFileDay(DateOnly Date, bool Today, IReadOnlyList<LogFileName> Files);

/// <summary>A log file and how many events it holds as counted so far.</summary>
internal readonly record struct LogFileCount(LogFileName File, long Events);

/// <summary>
/// The account's log files per day and type, newest day first, listed by <see cref="LogFileService"/> as
/// <c>GET logfiles</c> lists them, with links to download each as CSV, JSON or XML through the dashboard, and each
/// file's event count. The counts come from the statistics consumer's hourly aggregates
/// (<see cref="StatisticsService.AccountHoursAsync"/>: a row per hour and journal type, never a count over the journal),
/// summed per local day over the file's journal types; so they are the events counted so far (a moment behind the
/// journal), and in a time zone whose offset is not whole hours a day's count holds the hours that start in it.
/// </summary>
internal sealed class LogFilesModel(LogFileService logFiles, StatisticsService statistics, LocalDays days, TimeProvider time) : PageModel
{
    public const string Path = "/dashboard/logfiles";

    public IReadOnlyList<LogFileDay> Days { get; private set; } = [];

    private readonly Dictionary<LogFileName, long> _counts = [];

    /// <summary>The events of a listed file, from the hourly aggregates.</summary>
    public long Events(LogFileName file) => _counts.GetValueOrDefault(file);

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
        if (Days.Count == 0) return;

        // One read of the account's hourly rows since the oldest listed day: a row per hour and type with events.
        var hours = await statistics.AccountHoursAsync(account, days.StartMs(Days[^1].Date), ct);
        var perDayAndType = hours.GroupBy(h => (Day: days.DayOf(h.Hour), h.Type)).ToDictionary(g => g.Key, g => g.Sum(h => h.Total));
        foreach (var file in files)
        {
            _counts[file] = file.Type.SourceTypes.Sum(t => perDayAndType.GetValueOrDefault((file.Date, t)));
        }
    }
}
