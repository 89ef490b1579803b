using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One collection, read-only: its fields, a subprofile search with REST's filters (as <see cref="ProfilesModel"/>), and
/// the webhooks linked to it (<see cref="WebhookService"/>). Another account's collection, or an unknown id, is not found.
/// </summary>
internal sealed class CollectionDetailModel(DatabaseService databases, CollectionService collections, SubprofileService subprofiles, WebhookService webhooks)
    : PageModel
{
    public CollectionDetails Details { get; private set; } = null!;
    public DatabaseRecord Database { get; private set; } = null!;
    public DataSearch Search { get; private set; } = null!;
    public SearchFormView Form { get; private set; } = null!;
    public ValueRowsView? Results { get; private set; }
    public long Total { get; private set; }
    public LinkedWebhooksView Webhooks { get; private set; } = null!;

    public bool HasPrevious => Search.PageNumber > 1;
    public bool HasNext => (long)Search.PageNumber * DataSearch.PageSize < Total;

    public async Task OnGetAsync(long id)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        var text = id.ToString(CultureInfo.InvariantCulture);
        Details = await collections.GetAsync(account, text, ct); // not the account's: 404
        Database = await databases.RequireAsync(account, Details.Collection.DatabaseId.ToString(CultureInfo.InvariantCulture), ct);
        Search = DataSearch.From(Request);
        string? error = null;
        try
        {
            var page = await subprofiles.SearchAsync(Details.Collection, null, DataSearch.Search(Request, Search), ct);
            Total = page.Total ?? 0;
            Results = new ValueRowsView(page.Table.Fields, page.Rows, Subprofiles: true, "Subprofiles of " + Details.Collection.Name, ShowProfile: true);
        }
        catch (RequestRejectedException e)
        {
            error = e.Message;
        }

        Form = new SearchFormView(Search, Details.Fields, PathOf(id), error, "collection");
        var linked = await webhooks.ListOfCollectionAsync(account, text, 0, LinkedWebhooks.Count, ct);
        Webhooks = await LinkedWebhooks.ReadAsync(linked, new WebhookScopes(account, databases, collections), "collection", ct);
    }

    public static string PathOf(long id) => "/dashboard/collections/" + ValueRowsView.Id(id);
}
