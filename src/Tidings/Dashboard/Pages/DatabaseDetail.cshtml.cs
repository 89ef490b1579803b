using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tidings.Profiles;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// One database, read-only: its fields, interests and collections (<see cref="DatabaseService"/>), how many profiles it
/// has (the total of an empty <see cref="ProfileService"/> search, one count), and the webhooks linked to it or its
/// collections (<see cref="WebhookService"/>). Another account's database, or an unknown id, is not found.
/// </summary>
internal sealed class DatabaseDetailModel(DatabaseService databases, CollectionService collections, ProfileService profiles, WebhookService webhooks)
    : PageModel
{
    public DatabaseDetails Details { get; private set; } = null!;
    public long Profiles { get; private set; }
    public LinkedWebhooksView Webhooks { get; private set; } = null!;

    public async Task OnGetAsync(long id)
    {
        var account = DashboardClaims.Require(User).AccountId;
        var ct = HttpContext.RequestAborted;
        var text = id.ToString(CultureInfo.InvariantCulture);
        Details = await databases.GetAsync(account, text, ct); // a RequestRejectedException (no such database here) is a 404
        Profiles = (await profiles.SearchAsync(Details.Database, new ProfileSearch([], null, null, 0, 0, WithTotal: true), ct)).Total ?? 0;
        var linked = await webhooks.ListOfDatabaseAsync(account, text, 0, LinkedWebhooks.Count, ct);
        Webhooks = await LinkedWebhooks.ReadAsync(linked, new WebhookScopes(account, databases, collections), "database", ct);
    }

    public static string ProfilesPathOf(long id) => DatabasesModel.PathOf(id) + "/profiles";
}
