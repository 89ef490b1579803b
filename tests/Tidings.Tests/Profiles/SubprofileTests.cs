using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Subprofiles: create with a flat body, lists per profile and per collection, bulk PUT, get/update/delete, fields.</summary>
public sealed class SubprofileTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private sealed record Seed(ApiClient Client, long Db, long Collection, long Ann, long Bob);

    private async Task<Seed> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "qty", type = "integer" });
        var ann = await client.CreateProfileAsync(db, new { email = "ann@b.nl" });
        var bob = await client.CreateProfileAsync(db, new { email = "bob@b.nl" });
        return new Seed(client, db, collection, ann, bob);
    }

    [Fact]
    public async Task Create_takes_a_flat_field_map_and_returns_x_created()
    {
        var s = await SeedAsync();
        var response = await s.Client.PostJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { SKU = "A-1", qty = "3 pieces" });
        await response.ShouldHaveStatusAsync(201);
        var sid = response.Header("X-Created")!;
        response.Header("X-location").ShouldBe($"http://localhost/v3/subprofile/{sid}");
        var sub = await s.Client.GetJsonAsync($"/v3/subprofile/{sid}");
        sub["fields"]!.ToJsonString().ShouldBe("{\"sku\":\"A-1\",\"qty\":\"3\"}");
        sub.Str("profile").ShouldBe(s.Ann.S());
    }

    [Fact]
    public async Task Profile_subprofile_list_shows_only_that_profiles_subprofiles()
    {
        var s = await SeedAsync();
        var a1 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1" });
        await s.Client.CreateAsync($"/v3/profile/{s.Bob}/subprofiles/{s.Collection}", new { sku = "B1" });
        var a2 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A2" });
        var list = await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}");
        list.DataIds().ShouldBe([a1.S(), a2.S()]);
        list["total"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task Collection_subprofile_list_pages_and_filters()
    {
        var s = await SeedAsync();
        var ids = new List<long>();
        for (var i = 1; i <= 5; i++) ids.Add(await s.Client.CreateAsync($"/v3/profile/{(i % 2 == 0 ? s.Bob : s.Ann)}/subprofiles/{s.Collection}", new { sku = "S" + i, qty = i }));
        var page = await s.Client.GetJsonAsync($"/v3/collection/{s.Collection}/subprofiles?start=1&limit=2");
        page.DataIds().ShouldBe([ids[1].S(), ids[2].S()]);
        page["total"]!.GetValue<long>().ShouldBe(5);
        var filtered = await s.Client.GetJsonAsync($"/v3/collection/{s.Collection}/subprofiles?fields[]=qty>=3&fields[]=sku!=S4");
        filtered.DataIds().ShouldBe([ids[2].S(), ids[4].S()]);
        (await s.Client.GetJsonAsync($"/v3/collection/{s.Collection}/subprofileids")).AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task Collection_bulk_put_updates_matching_subprofiles_and_requires_fields()
    {
        var s = await SeedAsync();
        var x = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "X", qty = 1 });
        var y = await s.Client.CreateAsync($"/v3/profile/{s.Bob}/subprofiles/{s.Collection}", new { sku = "Y", qty = 1 });
        await (await s.Client.PutJsonAsync($"/v3/collection/{s.Collection}/subprofiles", new { qty = 9 })).ShouldBeCopernicaErrorAsync("URL parameter fields is required");
        await (await s.Client.PutJsonAsync($"/v3/collection/{s.Collection}/subprofiles?fields[]=sku==Y", new { qty = 7 })).ShouldHaveStatusAsync(204);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{x}/fields")).Str("qty").ShouldBe("1");
        (await s.Client.GetJsonAsync($"/v3/subprofile/{y}/fields")).Str("qty").ShouldBe("7");
    }

    [Fact]
    public async Task Profile_bulk_put_updates_only_that_profiles_subprofiles_and_creates_with_create()
    {
        var s = await SeedAsync();
        var annX = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "X" });
        var bobX = await s.Client.CreateAsync($"/v3/profile/{s.Bob}/subprofiles/{s.Collection}", new { sku = "X" });
        await (await s.Client.PutJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}?fields[]=sku==X", new { qty = 5 })).ShouldHaveStatusAsync(204);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{annX}/fields")).Str("qty").ShouldBe("5");
        (await s.Client.GetJsonAsync($"/v3/subprofile/{bobX}/fields")).Str("qty").ShouldBe("0");

        await (await s.Client.PutJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { qty = 5 })).ShouldBeCopernicaErrorAsync("URL parameter fields is required");
        var created = await s.Client.PutJsonAsync($"/v3/profile/{s.Ann}/subprofiles/Orders?fields[]=sku==Z&create=1", new { sku = "Z", qty = 1 });
        await created.ShouldHaveStatusAsync(201);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{created.Header("X-Created")}")).Str("profile").ShouldBe(s.Ann.S());
    }

    [Fact]
    public async Task Subprofile_update_takes_fields_and_secret_and_fields_endpoint_is_flat()
    {
        var s = await SeedAsync();
        var sid = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "X", qty = 1 });
        await (await s.Client.PutJsonAsync($"/v3/subprofile/{sid}", new { fields = new { qty = 2 }, secret = "abc" })).ShouldHaveStatusAsync(204);
        var sub = await s.Client.GetJsonAsync($"/v3/subprofile/{sid}");
        sub["fields"].Str("qty").ShouldBe("2");
        sub["fields"].Str("sku").ShouldBe("X");
        sub.Str("secret").ShouldBe("abc");

        await (await s.Client.PutJsonAsync($"/v3/subprofile/{sid}/fields", new { sku = "Y" })).ShouldHaveStatusAsync(204);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{sid}/fields")).ToJsonString().ShouldBe("{\"sku\":\"Y\",\"qty\":\"2\"}");
    }

    [Fact]
    public async Task Delete_marks_the_subprofile_removed_and_drops_it_from_lists()
    {
        var s = await SeedAsync();
        var keep = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "K" });
        var gone = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "G" });
        await (await s.Client.DeleteAsync($"/v3/subprofile/{gone}")).ShouldHaveStatusAsync(204);
        var sub = await s.Client.GetJsonAsync($"/v3/subprofile/{gone}");
        sub.Str("removed").ShouldMatch(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
        sub["fields"].Str("sku").ShouldBe("");
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}")).DataIds().ShouldBe([keep.S()]);
        (await s.Client.GetJsonAsync($"/v3/collection/{s.Collection}/subprofileids")).AsArray().Select(x => x!.GetValue<string>()).ShouldBe([keep.S()]);
    }

    [Fact]
    public async Task A_collection_of_another_database_cannot_hold_this_profiles_subprofiles()
    {
        var s = await SeedAsync();
        var other = await s.Client.CreateDatabaseAsync("Other");
        var foreignCollection = await s.Client.CreateAsync($"/v3/database/{other}/collections", new { name = "Orders" });
        await (await s.Client.PostJsonAsync($"/v3/profile/{s.Ann}/subprofiles/{foreignCollection}", new { sku = "X" })).ShouldBeCopernicaErrorAsync("Subprofile could not be created");
        (await s.Client.GetJsonAsync($"/v3/collection/{foreignCollection}/subprofileids")).AsArray().Count.ShouldBe(0);
    }
}
