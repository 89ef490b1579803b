using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The account's databases, a page at a time, with their fields, interests and collections as
/// <see cref="DatabaseService"/> lists them. No profile counts here: counting is a scan of each database's profiles,
/// which a list of many large databases cannot afford; a database's own page counts its profiles.
/// </summary>
internal sealed class DatabasesModel(DatabaseService databases) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<DatabaseDetails> Items { get; private set; } = [];
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;

    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => (long)PageNumber * PageSize < Total;

    // Bound from the query by name: a parameter called "page" would bind Razor Pages' own route value (the page's path).
    public async Task OnGetAsync([FromQuery(Name = "page")] int number = 1)
    {
        var account = DashboardClaims.Require(User).AccountId;
        PageNumber = Math.Max(1, number);
        (Items, Total) = await databases.ListAsync(account, (long)(PageNumber - 1) * PageSize, PageSize, HttpContext.RequestAborted);
    }

    public static string PathOf(long id) => DashboardPaths.Databases + "/" + ValueRowsView.Id(id);
}
