using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>§1.8: orderby/order (desc, descending, anything else ascends, random) and dataonly.</summary>
public sealed class OrderingTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db, long[] Ids)> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"), ("age", "integer"));
        var a = await client.CreateProfileAsync(db, new { name = "Carol", age = 9 });
        var b = await client.CreateProfileAsync(db, new { name = "alice", age = 100 });
        var c = await client.CreateProfileAsync(db, new { name = "Bob", age = 20 });
        return (client, db, [a, b, c]);
    }

    [Theory]
    [InlineData("", "012")]
    [InlineData("orderby=id&order=desc", "210")]
    [InlineData("orderby=age", "021")]
    [InlineData("orderby=AGE&order=DESC", "120")]
    [InlineData("orderby=age&order=descending", "120")]
    [InlineData("orderby=age&order=descendin", "021")]
    [InlineData("orderby=name", "120")]
    [InlineData("orderby=nosuchfield", "012")]
    [InlineData("order=desc", "210")]
    [InlineData("ORDERBY=age&ORDER=desc", "012")]
    public async Task Orderby_and_order_sort_like_copernica(string query, string expected)
    {
        var (client, db, ids) = await SeedAsync();
        var list = await client.GetJsonAsync($"/v3/database/{db}/profiles?{query}");
        list.DataIds().ShouldBe(expected.Select(c => ids[c - '0'].S()).ToList());
    }

    [Fact]
    public async Task Orderby_accepts_a_field_id()
    {
        var (client, db, ids) = await SeedAsync();
        var fields = await client.GetJsonAsync($"/v3/database/{db}/fields");
        var ageId = fields!["data"]!.AsArray().Single(f => f.Str("name") == "age").Str("ID");
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?orderby={ageId}&order=desc")).DataIds().ShouldBe([ids[1].S(), ids[2].S(), ids[0].S()]);
    }

    [Fact]
    public async Task Orderby_random_returns_every_item()
    {
        var (client, db, ids) = await SeedAsync();
        var list = await client.GetJsonAsync($"/v3/database/{db}/profiles?orderby=random");
        list.DataIds().Order().ShouldBe(ids.Select(i => i.S()).Order());
    }

    [Fact]
    public async Task Dataonly_drops_database_secret_created_and_removed()
    {
        var (client, db, _) = await SeedAsync();
        var item = (await client.GetJsonAsync($"/v3/database/{db}/profiles?dataonly=true"))!["data"]![0]!.AsObject();
        item.Select(p => p.Key).ShouldBe(["ID", "fields", "interests", "modified"]);
        var full = (await client.GetJsonAsync($"/v3/database/{db}/profiles"))!["data"]![0]!.AsObject();
        full.Select(p => p.Key).ShouldBe(["ID", "fields", "interests", "database", "secret", "created", "modified", "removed"]);
    }

    [Fact]
    public async Task Dataonly_on_subprofiles_keeps_id_fields_profile_collection_and_modified()
    {
        var (client, db, ids) = await SeedAsync();
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/profile/{ids[0]}/subprofiles/{collection}", new { });
        var item = (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles?dataonly=1"))!["data"]![0]!.AsObject();
        item.Select(p => p.Key).Order().ShouldBe(new[] { "ID", "fields", "profile", "collection", "modified" }.Order());
    }

    [Fact]
    public async Task Subprofiles_sort_by_field_descending()
    {
        var (client, db, ids) = await SeedAsync();
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "total", type = "integer" });
        var s1 = await client.CreateAsync($"/v3/profile/{ids[0]}/subprofiles/{collection}", new { total = 5 });
        var s2 = await client.CreateAsync($"/v3/profile/{ids[0]}/subprofiles/{collection}", new { total = 50 });
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles?orderby=total&order=desc")).DataIds().ShouldBe([s2.S(), s1.S()]);
    }
}
