using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One profile, read-only: every field, its interests, and its subprofiles in each collection of its database, a page
/// at a time per collection (<c>?collection=ID&amp;page=N</c> pages one of them). All read from
/// <see cref="ProfileService"/>, <see cref="CollectionService"/> and <see cref="SubprofileService"/>; another account's
/// profile, or an unknown id, is not found. A removed profile is shown as removed (REST still answers it).
/// </summary>
internal sealed class ProfileDetailModel(ProfileService profiles, CollectionService collections, SubprofileService subprofiles) : PageModel
{
    public const int SubprofilePageSize = 20;

    public ProfileView Profile { get; private set; } = null!;
    public IReadOnlyList<CollectionSubprofiles> Collections { get; private set; } = [];

    // "page" bound from the query by name: as a plain parameter it would bind Razor Pages' own route value (the page's path).
    public async Task OnGetAsync(long id, long? collection, [FromQuery(Name = "page")] int pageNumber = 1)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        Profile = await profiles.RequireAsync(account, id.ToString(CultureInfo.InvariantCulture), ct); // not the account's: 404
        var list = new List<CollectionSubprofiles>();
        foreach (var c in await collections.ListAsync(Profile.Database, ct))
        {
            var number = c.Collection.Id == collection ? Math.Max(1, pageNumber) : 1;
            var search = new ProfileSearch([], null, null, (long)(number - 1) * SubprofilePageSize, SubprofilePageSize, WithTotal: true);
            var found = await subprofiles.SearchAsync(c.Collection, Profile.Row.Id, search, ct);
            list.Add(new CollectionSubprofiles(c.Collection, new ValueRowsView(found.Table.Fields, found.Rows, Subprofiles: true, $"Subprofiles in {c.Collection.Name}"), found.Total ?? 0, number));
        }

        Collections = list;
    }

    public static string PathOf(long id) => "/dashboard/profiles/" + ValueRowsView.Id(id);

    public string PageOf(CollectionSubprofiles c, int page) =>
        PathOf(Profile.Row.Id) + (page > 1 ? $"?collection={ValueRowsView.Id(c.Collection.Id)}&page={page.ToString(CultureInfo.InvariantCulture)}" : "") + "#collection-" + ValueRowsView.Id(c.Collection.Id);
}

/// <summary>A page of a profile's subprofiles in one collection.</summary>
internal sealed record CollectionSubprofiles(CollectionRecord Collection, ValueRowsView Rows, long Total, int PageNumber)
{
    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => (long)PageNumber * ProfileDetailModel.SubprofilePageSize < Total;
}
