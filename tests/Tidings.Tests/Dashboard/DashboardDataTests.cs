using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// The database, profile and collection pages: what the profile services hold for the account (fields, interests,
/// collections, profiles, subprofiles, linked webhooks), searched with REST's own conditions, and nothing of another account.
/// </summary>
public sealed class DashboardDataTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A signed-in user of a new account, and a REST client of the same account.</summary>
    private async Task<(DashboardBrowser Browser, ApiClient Api)> SignedInAsync(string account, UserRole role = UserRole.Editor)
    {
        var (browser, user, _) = await DashboardBrowser.SignedInAsync(app, role, account);
        var api = await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", user.AccountId), canWrite: true);
        return (browser, api);
    }

    /// <summary>A database "People" (email, firstname, age; city indexed and shown), two interests and a collection "Orders".</summary>
    private static async Task<(long Database, long Collection)> PeopleAsync(ApiClient api, string name = "People")
    {
        var database = await api.CreateAsync("/v3/databases", new { name, description = "Everyone who signed up" });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "email", type = "email", displayed = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "firstname", type = "text", displayed = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "age", type = "integer", value = "18", displayed = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "city", type = "text", index = true });
        await api.CreateAsync($"/v3/database/{database}/interests", new { name = "news", group = "letters" });
        await api.CreateAsync($"/v3/database/{database}/interests", new { name = "offers", group = "letters" });
        var collection = await api.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders" });
        await api.CreateAsync($"/v3/collection/{collection}/fields", new { name = "product", type = "text" });
        await api.CreateAsync($"/v3/collection/{collection}/fields", new { name = "amount", type = "integer" });
        return (database, collection);
    }

    private static List<string> Cells(IElement row) => row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();

    private static List<List<string>> Rows(IHtmlDocument page, string table) =>
        page.QuerySelectorAll($"table.{table} tbody tr").Select(Cells).ToList();

    private static Dictionary<string, string> Facts(IElement section) =>
        section.QuerySelectorAll("dt").ToDictionary(dt => dt.TextContent.Trim(), dt => dt.NextElementSibling!.TextContent.Trim());

    [Fact]
    public async Task The_database_list_shows_each_database_of_the_account_with_its_fields_interests_and_collections_and_none_of_another()
    {
        var (browser, api) = await SignedInAsync("Lists");
        var (people, orders) = await PeopleAsync(api);
        var empty = await api.CreateAsync("/v3/databases", new { name = "Empty", archived = true });
        var stranger = await app.NewAccountAsync("Stranger");
        await stranger.CreateAsync("/v3/databases", new { name = "Their secret list" });

        var page = await browser.PageAsync("/dashboard/databases");

        page.QuerySelector("#list-title")!.TextContent.ShouldBe("2 databases");
        page.QuerySelector("main")!.TextContent.ShouldNotContain("Their secret list");
        var rows = page.QuerySelectorAll("table.databases tbody tr").ToDictionary(r => r.QuerySelector("td a")!.TextContent, r => r);
        rows.Keys.ShouldBe(["People", "Empty"], ignoreOrder: true);
        rows["People"].QuerySelector("td a")!.GetAttribute("href").ShouldBe($"/dashboard/databases/{people}");
        Cells(rows["People"])[1].ShouldBe("Everyone who signed up");
        Cells(rows["People"])[2].ShouldBe("4", "fields");
        Cells(rows["People"])[3].ShouldBe("2", "interests");
        rows["People"].QuerySelector("ul a")!.GetAttribute("href").ShouldBe($"/dashboard/collections/{orders}");
        rows["Empty"].QuerySelector(".state")!.TextContent.ShouldBe("Archived");
        Cells(rows["Empty"])[4].ShouldBe("none");
        rows["Empty"].QuerySelector("td a")!.GetAttribute("href").ShouldBe($"/dashboard/databases/{empty}");
    }

    [Fact]
    public async Task The_database_list_pages_by_fifty_and_an_account_without_databases_is_told_how_to_create_one()
    {
        var (browser, api) = await SignedInAsync("Many");
        var none = await browser.PageAsync("/dashboard/databases");
        none.QuerySelector("#empty-title")!.TextContent.ShouldBe("No databases yet");
        none.QuerySelector("pre")!.TextContent.ShouldContain("POST /v3/databases");

        for (var i = 0; i < 51; i++) await api.CreateAsync("/v3/databases", new { name = $"List {i:D2}" });

        var first = await browser.PageAsync("/dashboard/databases");
        first.QuerySelector("#list-title")!.TextContent.ShouldBe("51 databases");
        first.QuerySelectorAll("table.databases tbody tr").Length.ShouldBe(50);
        first.QuerySelector("a[rel=prev]").ShouldBeNull();
        first.QuerySelector("a[rel=next]")!.GetAttribute("href").ShouldBe("/dashboard/databases?page=2");
        var second = await browser.PageAsync("/dashboard/databases?page=2");
        second.QuerySelectorAll("table.databases tbody tr").Select(r => Cells(r)[0]).ShouldBe(["List 50"]);
        second.QuerySelector("a[rel=next]").ShouldBeNull();
        second.QuerySelector("a[rel=prev]")!.GetAttribute("href").ShouldBe("/dashboard/databases?page=1");
    }

    [Fact]
    public async Task The_database_page_shows_its_fields_interests_collections_profile_count_and_the_webhooks_linked_to_it()
    {
        var (browser, api) = await SignedInAsync("Detail");
        var (people, orders) = await PeopleAsync(api);
        var (other, _) = await PeopleAsync(api, "Other");
        await api.CreateProfileAsync(people, new { email = "ann@example.com" });
        await api.CreateProfileAsync(people, new { email = "bob@example.com" });
        var ofDatabase = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/people"), new { trigger = "create", database = people });
        var ofCollection = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/orders"), new { trigger = "update", collection = orders });
        await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/everything"), new { trigger = "open" });
        await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/other"), new { trigger = "create", database = other });

        var page = await browser.PageAsync($"/dashboard/databases/{people}");

        page.QuerySelector("h1")!.TextContent.ShouldBe("People");
        page.QuerySelector(".lead")!.TextContent.ShouldBe("Everyone who signed up");
        Facts(page.QuerySelector("section[aria-labelledby=profiles-title]")!)["Profiles"].ShouldBe("2");
        var fields = Rows(page, "fields").ToDictionary(r => r[0]);
        fields.Keys.ShouldBe(["email", "firstname", "age", "city"]);
        fields["age"].ShouldBe(["age", "integer", "18", "yes", "no", ""]);
        fields["city"].ShouldBe(["city", "text", "none", "no", "yes", ""]);
        Rows(page, "interests").ShouldBe([["news", "letters"], ["offers", "letters"]]);
        var collection = page.QuerySelector("table.collections tbody tr")!;
        collection.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/collections/{orders}");
        Cells(collection)[2].ShouldBe("product, amount");

        var hooks = page.QuerySelectorAll("table.linked-webhooks tbody tr").ToDictionary(r => r.QuerySelector(".handler")!.TextContent, r => r);
        hooks.Keys.ShouldBe(["https://hooks.example.com/people", "https://hooks.example.com/orders"], ignoreOrder: true);
        hooks["https://hooks.example.com/people"].QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/webhooks/{ofDatabase}");
        Cells(hooks["https://hooks.example.com/people"])[2].ShouldBe("database People");
        hooks["https://hooks.example.com/orders"].QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/webhooks/{ofCollection}");
        Cells(hooks["https://hooks.example.com/orders"])[2].ShouldBe("collection Orders of database People");
        Cells(hooks["https://hooks.example.com/orders"])[1].ShouldBe("update");
        page.QuerySelector("form.quick-search")!.GetAttribute("action").ShouldBe($"/dashboard/databases/{people}/profiles");
    }

    [Fact]
    public async Task A_database_without_linked_webhooks_says_so()
    {
        var (browser, api) = await SignedInAsync("Quiet");
        var (people, _) = await PeopleAsync(api);

        var page = await browser.PageAsync($"/dashboard/databases/{people}");

        page.QuerySelector("table.linked-webhooks").ShouldBeNull();
        page.QuerySelector("section[aria-labelledby=webhooks-title] .none")!.TextContent.ShouldStartWith("No webhook is linked to this database");
    }

    [Fact]
    public async Task A_profile_search_takes_the_conditions_of_rest_and_finds_a_profile_by_email()
    {
        var (browser, api) = await SignedInAsync("Search");
        var (people, _) = await PeopleAsync(api);
        var ann = await api.CreateProfileAsync(people, new { email = "ann@example.com", firstname = "Ann", age = 31, city = "Utrecht" });
        await api.CreateProfileAsync(people, new { email = "bob@example.com", firstname = "Bob", age = 45, city = "Utrecht" });
        await api.CreateProfileAsync(people, new { email = "cat@example.com", firstname = "Cat", age = 52, city = "Delft" });

        var byEmail = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=email%3D%3Dann%40example.com");

        byEmail.QuerySelector("#results-title")!.TextContent.ShouldBe("1 profile found");
        var row = byEmail.QuerySelector("table.values tbody tr")!;
        Cells(row)[..4].ShouldBe([ann.ToString(System.Globalization.CultureInfo.InvariantCulture), "ann@example.com", "Ann", "31"]);
        row.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/profiles/{ann}");
        byEmail.QuerySelectorAll("table.values thead th").Select(th => th.TextContent).ShouldBe(["ID", "email", "firstname", "age", "Modified"], "the fields shown in lists");
        ((IHtmlInputElement)byEmail.QuerySelector("#condition-0")!).Value.ShouldBe("email==ann@example.com", "the form shows the search");

        // The same conditions, order and direction as REST: two conditions ANDed, ordered by age descending.
        var both = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=city%3D%3Dutrecht&fields[]=age%3E30&orderby=age&order=desc");
        both.QuerySelectorAll("table.values tbody tr").Select(r => Cells(r)[2]).ShouldBe(["Bob", "Ann"]);
        var rest = await api.GetJsonAsync($"/v3/database/{people}/profiles?fields[]=city%3D%3Dutrecht&fields[]=age%3E30&orderby=age&order=desc");
        rest.DataIds().ShouldBe(both.QuerySelectorAll("table.values tbody tr").Select(r => Cells(r)[0]).ToList());
        ((IHtmlSelectElement)both.QuerySelector("#orderby")!).Value.ShouldBe("age");
        ((IHtmlSelectElement)both.QuerySelector("#order")!).Value.ShouldBe("desc");

        var like = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=email%3D~%25%40example.com&fields[]=firstname!%3DBob");
        like.QuerySelector("#results-title")!.TextContent.ShouldBe("2 profiles found");
        var none = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=email%3D%3Dnobody%40example.com");
        none.QuerySelector("#results-title")!.TextContent.ShouldBe("0 profiles found");
        none.QuerySelector("section[aria-labelledby=results-title] .none")!.TextContent.ShouldBe("No profile matches.");
    }

    [Fact]
    public async Task A_condition_the_service_refuses_shows_its_message_over_the_form_not_an_error_page()
    {
        var (browser, api) = await SignedInAsync("Refused");
        var (people, _) = await PeopleAsync(api);
        await api.CreateProfileAsync(people, new { email = "ann@example.com" });

        foreach (var (query, message) in new[]
        {
            ("fields[]=email", "Invalid condition 'email' in fields parameter"),
            ("fields[]=modified%3D%3Dyesterday", "Invalid value 'yesterday' for modified in fields parameter"),
        })
        {
            var response = await browser.GetAsync($"/dashboard/databases/{people}/profiles?{query}");
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            var page = DashboardBrowser.Parse(body);
            page.QuerySelector("#search-error")!.TextContent.ShouldStartWith(message);
            page.QuerySelector("#search-error")!.GetAttribute("role").ShouldBe("alert");
            page.QuerySelector("#condition-0")!.GetAttribute("aria-invalid").ShouldBe("true");
            page.QuerySelector("table.values").ShouldBeNull("no results under a refused search");
            var rest = await api.GetAsync($"/v3/database/{people}/profiles?{query}");
            await rest.ShouldBeCopernicaErrorAsync(page.QuerySelector("#search-error")!.TextContent);
        }
    }

    [Fact]
    public async Task Profile_results_page_by_fifty_and_the_paging_links_keep_the_search()
    {
        var (browser, api) = await SignedInAsync("Paged");
        var (people, _) = await PeopleAsync(api);
        for (var i = 0; i < 55; i++) await api.CreateProfileAsync(people, new { email = $"p{i:D2}@example.com", city = i % 5 == 0 ? "Delft" : "Utrecht" });

        var first = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=city%3D%3DUtrecht&orderby=email");

        first.QuerySelector("#results-title")!.TextContent.ShouldBe("44 profiles found");
        first.QuerySelectorAll("table.values tbody tr").Length.ShouldBe(44);
        first.QuerySelector("nav.pager").ShouldBeNull("one page");

        var all = await browser.PageAsync($"/dashboard/databases/{people}/profiles?orderby=email&order=desc");
        all.QuerySelector("#results-title")!.TextContent.ShouldBe("55 profiles");
        all.QuerySelectorAll("table.values tbody tr").Length.ShouldBe(50);
        var next = all.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        next.ShouldBe($"/dashboard/databases/{people}/profiles?orderby=email&order=desc&page=2");
        var second = await browser.PageAsync(next);
        second.QuerySelectorAll("table.values tbody tr").Select(r => Cells(r)[1]).ShouldBe(["p04@example.com", "p03@example.com", "p02@example.com", "p01@example.com", "p00@example.com"]);
        second.QuerySelector("nav.pager span")!.TextContent.ShouldBe("Page 2 of 2");
        second.QuerySelector("a[rel=prev]")!.GetAttribute("href").ShouldBe($"/dashboard/databases/{people}/profiles?orderby=email&order=desc");

        var filtered = await browser.PageAsync($"/dashboard/databases/{people}/profiles?fields[]=email%3D~p%25&page=2");
        filtered.QuerySelector("a[rel=prev]")!.GetAttribute("href").ShouldBe($"/dashboard/databases/{people}/profiles?fields%5B%5D=email%3D~p%25");
        filtered.QuerySelectorAll("table.values tbody tr").Length.ShouldBe(5);
    }

    [Fact]
    public async Task The_profile_page_shows_every_field_its_interests_and_its_subprofiles_per_collection_a_page_at_a_time()
    {
        var (browser, api) = await SignedInAsync("Profile");
        var (people, orders) = await PeopleAsync(api);
        var returns = await api.CreateAsync($"/v3/database/{people}/collections", new { name = "Returns" });
        var ann = await api.CreateProfileAsync(people, new { email = "ann@example.com", firstname = "Ann", city = "Utrecht" }, new[] { "news" });
        var bob = await api.CreateProfileAsync(people, new { email = "bob@example.com" });
        for (var i = 0; i < 23; i++) await api.CreateAsync($"/v3/profile/{ann}/subprofiles/{orders}", new { product = $"Book {i:D2}", amount = i });
        await api.CreateAsync($"/v3/profile/{bob}/subprofiles/{orders}", new { product = "Bob's lamp", amount = 1 });

        var page = await browser.PageAsync($"/dashboard/profiles/{ann}");

        page.QuerySelector("h1")!.TextContent.ShouldBe($"Profile {ann}");
        var facts = Facts(page.QuerySelector("section[aria-labelledby=fields-title]")!);
        facts["email"].ShouldBe("ann@example.com");
        facts["firstname"].ShouldBe("Ann");
        facts["age"].ShouldBe("18", "the default");
        facts["city"].ShouldBe("Utrecht", "a field not shown in lists is on the profile's page");
        page.QuerySelector(".interest-on")!.TextContent.ShouldBe("Has: news (letters)");
        page.QuerySelector(".interest-off")!.TextContent.ShouldBe("Has not: offers (letters)");
        page.QuerySelector(".crumbs")!.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldBe(["/dashboard/databases", $"/dashboard/databases/{people}", $"/dashboard/databases/{people}/profiles"]);

        var inOrders = page.QuerySelector($"#collection-{orders}")!;
        inOrders.QuerySelector("h2")!.TextContent.ShouldBe("Orders: 23 subprofiles");
        inOrders.QuerySelectorAll("tbody tr").Length.ShouldBe(20);
        inOrders.QuerySelectorAll("tbody tr").Select(r => Cells(r)[1]).ShouldNotContain("Bob's lamp");
        inOrders.QuerySelectorAll("tbody tr a").Select(a => a.GetAttribute("href")).ShouldAllBe(h => h!.StartsWith("/dashboard/subprofiles/", StringComparison.Ordinal), "only the subprofile's own page: the profile is this one");
        var next = inOrders.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        next.ShouldBe($"/dashboard/profiles/{ann}?collection={orders}&page=2#collection-{orders}");
        page.QuerySelector($"#collection-{returns} h2")!.TextContent.ShouldBe("Returns: 0 subprofiles");

        var second = await browser.PageAsync(next.Split('#')[0]);
        second.QuerySelectorAll($"#collection-{orders} tbody tr").Select(r => Cells(r)[1]).ShouldBe(["Book 20", "Book 21", "Book 22"]);
        second.QuerySelector($"#collection-{orders} a[rel=prev]")!.GetAttribute("href").ShouldBe($"/dashboard/profiles/{ann}#collection-{orders}");
    }

    [Fact]
    public async Task The_collection_page_shows_its_fields_a_subprofile_search_and_the_webhooks_linked_to_it()
    {
        var (browser, api) = await SignedInAsync("Collection");
        var (people, orders) = await PeopleAsync(api);
        var ann = await api.CreateProfileAsync(people, new { email = "ann@example.com" });
        var bob = await api.CreateProfileAsync(people, new { email = "bob@example.com" });
        await api.CreateAsync($"/v3/profile/{ann}/subprofiles/{orders}", new { product = "Book", amount = 12 });
        await api.CreateAsync($"/v3/profile/{bob}/subprofiles/{orders}", new { product = "Lamp", amount = 40 });
        await api.CreateAsync($"/v3/profile/{bob}/subprofiles/{orders}", new { product = "Bookcase", amount = 250 });
        var hook = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/orders"), new { trigger = "create", collection = orders });
        await DeliveryApp.CreateWebhookAsync(api, new Uri("https://hooks.example.com/people"), new { trigger = "create", database = people });

        var page = await browser.PageAsync($"/dashboard/collections/{orders}");

        page.QuerySelector("h1")!.TextContent.ShouldBe("Collection Orders");
        Rows(page, "fields").Select(r => r[0] + ":" + r[1]).ShouldBe(["product:text", "amount:integer"]);
        page.QuerySelector("#results-title")!.TextContent.ShouldBe("3 subprofiles");
        page.QuerySelectorAll("table.values thead th").Select(th => th.TextContent).ShouldBe(["ID", "Profile", "product", "amount", "Modified"]);
        var hooks = page.QuerySelectorAll("table.linked-webhooks tbody tr");
        hooks.Select(r => r.QuerySelector(".handler")!.TextContent).ShouldBe(["https://hooks.example.com/orders"], "not the database's webhook");
        hooks[0].QuerySelector("a")!.GetAttribute("href").ShouldBe($"/dashboard/webhooks/{hook}");

        var found = await browser.PageAsync($"/dashboard/collections/{orders}?fields[]=product%3D~book%25&fields[]=amount%3E20");
        found.QuerySelector("#results-title")!.TextContent.ShouldBe("1 subprofile found");
        var row = found.QuerySelector("table.values tbody tr")!;
        Cells(row)[2..4].ShouldBe(["Bookcase", "250"]);
        row.QuerySelectorAll("a")[1].GetAttribute("href").ShouldBe($"/dashboard/profiles/{bob}");

        var subprofile = row.QuerySelector("td a")!.GetAttribute("href")!;
        subprofile.ShouldBe($"/dashboard/subprofiles/{Cells(row)[0]}");
        var detail = await browser.PageAsync(subprofile);
        detail.QuerySelector("h1")!.TextContent.ShouldBe($"Subprofile {Cells(row)[0]}");
        var facts = Facts(detail.QuerySelector("section[aria-labelledby=fields-title]")!);
        facts["product"].ShouldBe("Bookcase");
        facts["amount"].ShouldBe("250");
        detail.QuerySelector(".lead a")!.GetAttribute("href").ShouldBe($"/dashboard/profiles/{bob}");
        detail.QuerySelectorAll(".crumbs a").Select(a => a.GetAttribute("href")).ShouldContain($"/dashboard/collections/{orders}");

        var refused = await browser.PageAsync($"/dashboard/collections/{orders}?fields[]=amount");
        refused.QuerySelector("#search-error")!.TextContent.ShouldStartWith("Invalid condition 'amount'");
    }

    [Fact]
    public async Task Another_accounts_database_profile_or_collection_is_not_found_nor_an_unknown_id()
    {
        var (browser, _) = await SignedInAsync("Mine");
        var stranger = await app.NewAccountAsync("Theirs");
        var (database, collection) = await PeopleAsync(stranger, "Their people");
        var profile = await stranger.CreateProfileAsync(database, new { email = "secret@example.com" });
        var subprofile = await stranger.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { product = "Secret book" });

        foreach (var path in new[]
        {
            $"/dashboard/databases/{database}", $"/dashboard/databases/{database}/profiles", $"/dashboard/databases/{database}/profiles?fields[]=email%3D%3Dsecret%40example.com",
            $"/dashboard/profiles/{profile}", $"/dashboard/collections/{collection}", $"/dashboard/subprofiles/{subprofile}",
            "/dashboard/subprofiles/999999999", "/dashboard/databases/999999999", "/dashboard/databases/999999999/profiles", "/dashboard/profiles/999999999", "/dashboard/collections/999999999",
            "/dashboard/databases/People", "/dashboard/profiles/abc",
        })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            var body = await response.Content.ReadAsStringAsync(Ct);
            DashboardBrowser.Parse(body).QuerySelector("h1")!.TextContent.ShouldBe("Not found", path);
            body.ShouldNotContain("secret@example.com");
            body.ShouldNotContain("Their people");
            body.ShouldNotContain("Secret book");
        }
    }

    [Fact]
    public async Task A_read_only_user_sees_the_data_pages()
    {
        var (browser, api) = await SignedInAsync("Reader", UserRole.ReadOnly);
        var (people, orders) = await PeopleAsync(api);
        var ann = await api.CreateProfileAsync(people, new { email = "ann@example.com" });

        foreach (var path in new[] { "/dashboard/databases", $"/dashboard/databases/{people}", $"/dashboard/databases/{people}/profiles", $"/dashboard/profiles/{ann}", $"/dashboard/collections/{orders}" })
        {
            var page = await browser.PageAsync(path);
            page.QuerySelectorAll("form[method=post]").Select(f => f.GetAttribute("action")).ShouldAllBe(a => a == "/dashboard/signout", "read-only pages: only sign-out posts");
        }
    }

    [Fact]
    public async Task A_profile_or_collection_page_marks_databases_as_its_section_in_the_navigation()
    {
        var (browser, api) = await SignedInAsync("Sections");
        var (people, orders) = await PeopleAsync(api);
        var ann = await api.CreateProfileAsync(people, new { email = "ann@example.com" });

        foreach (var path in new[] { $"/dashboard/profiles/{ann}", $"/dashboard/collections/{orders}", $"/dashboard/databases/{people}" })
        {
            var page = await browser.PageAsync(path);
            page.QuerySelectorAll("nav a[aria-current]").Select(a => (a.TextContent, a.GetAttribute("aria-current")))
                .ShouldBe([("Databases", "location")], path);
        }
    }
}
