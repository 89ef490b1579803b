using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Mailings;
using Tidings.Rejections;
using Tidings.Statistics;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One mailing's statistics: its totals and uniques from the maintained counters, and opens, clicks and bounces over
/// a chosen window drawn from the hourly aggregates (<see cref="StatisticsService.MailingHoursAsync"/>), which outlive
/// journal retention. Another account's mailing is not found, as one that does not exist.
/// </summary>
internal sealed class StatisticsMailingModel(StatisticsService statistics, TimeProvider time) : PageModel
{
    public MailingRecord Mailing { get; private set; } = null!;
    public MailingCounts Counts { get; private set; } = null!;
    public HourChart Chart { get; private set; } = null!;

    public static string WindowPath(long id, ChartWindow window) => $"{StatisticsModel.MailingPath(id)}?window={window.Key}";

    public async Task<IActionResult> OnGetAsync(long id, string? window)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        var text = id.ToString(CultureInfo.InvariantCulture);
        var chosen = HourChart.FindWindow(window);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        MailingHours hours;
        try { hours = await statistics.MailingHoursAsync(account, text, HourChart.From(chosen, now), ct); }
        catch (RequestRejectedException) { return NotFound(); }

        Mailing = hours.Mailing;
        Counts = (await statistics.MailingStatisticsAsync(account, text, null, null, ct)).Counts;
        Chart = new HourChart(chosen, hours.Hours, Mailing.Created, now);
        return Page();
    }
}
