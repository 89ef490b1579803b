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
internal sealed class ProfilesModel(DatabaseService databases, FieldService fields, ProfileService profiles) : PageModel
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
        Database = await databases.RequireAsync(account, id.ToString(CultureInfo.InvariantCulture), ct); // not the account's: 404
        Search = DataSearch.From(Request);
        string? error = null;
        FieldSet? columns = null;
        try
        {
            var page = await profiles.SearchAsync(Database, DataSearch.Search(Request, Search), ct);
            Total = page.Total ?? 0;
            columns = page.Table.Fields;
            Results = new ValueRowsView(page.Table.Fields, page.Rows, Subprofiles: false, "Profiles of " + Database.Name);
        }
        catch (RequestRejectedException e)
        {
            error = e.Message;
        }

        // The fields to order by: those the search read, or (when it was refused) the database's own.
        columns ??= new FieldSet(await fields.ListAsync(FieldOwner.Of(Database), ct));
        Form = new SearchFormView(Search, columns, PathOf(Database.Id), error, "database");
    }

    public static string PathOf(long databaseId) => DatabaseDetailModel.ProfilesPathOf(databaseId);
}
