using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Rejections;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// Profile search of one database: the GET form takes REST's filters (<c>fields[]</c>, <c>orderby</c>, <c>order</c>)
/// and <see cref="ProfileService"/> answers it as it answers REST. A condition the service refuses shows its message
/// over the form, as typed; the database itself must be the account's (else 404).
/// </summary>
internal sealed class ProfilesModel(DatabaseService databases, ProfileService profiles) : PageModel
{
    public DatabaseRecord Database { get; private set; } = null!;
    public DataSearch Search { get; private set; } = null!;
    public SearchFormView Form { get; private set; } = null!;
    public ValueRowsView? Results { get; private set; }
    public long Total { get; private set; }

    public bool HasPrevious => Search.PageNumber > 1;
    public bool HasNext => (long)Search.PageNumber * DataSearch.PageSize < Total;

    public async Task OnGetAsync(long id)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        var details = await databases.GetAsync(account, id.ToString(CultureInfo.InvariantCulture), ct); // not the account's: 404
        Database = details.Database;
        Search = DataSearch.From(Request);
        string? error = null;
        try
        {
            var page = await profiles.SearchAsync(Database, DataSearch.Search(Request, Search), ct);
            Total = page.Total ?? 0;
            Results = new ValueRowsView(page.Table.Fields, page.Rows, Subprofiles: false, "Profiles of " + Database.Name);
        }
        catch (RequestRejectedException e)
        {
            error = e.Message;
        }

        Form = new SearchFormView(Search, details.Fields, PathOf(Database.Id), error, "database");
    }

    public static string PathOf(long databaseId) => DatabaseDetailModel.ProfilesPathOf(databaseId);
}
