using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Statistics;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's mailings, newest first, a page at a time, each with its totals and uniques from the counters the
/// statistics consumer maintains (<see cref="StatisticsService.MailingsAsync"/>; a few rows per mailing, whatever its size).
/// </summary>
internal sealed class StatisticsModel(StatisticsService statistics) : PageModel
{
    public const string Path = DashboardPaths.Statistics;
    public const int PageSize = 50;

    public IReadOnlyList<MailingSummary> Mailings { get; private set; } = [];
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;

    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => (long)PageNumber * PageSize < Total;

    public static string MailingPath(long id) => $"{Path}/mailings/{id}";

    // The query's 'page', by name: a parameter called 'page' would bind Razor Pages' own route value (the page's path).
    public async Task OnGetAsync([FromQuery(Name = "page")] int number = 1)
    {
        var account = DashboardClaims.Require(User).AccountId;
        PageNumber = Math.Max(1, number);
        (Mailings, Total) = await statistics.MailingsAsync(account, (long)(PageNumber - 1) * PageSize, PageSize, HttpContext.RequestAborted);
    }
}
