using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Databases and collections: create, list, get, update, unsubscribe behaviour.</summary>
public sealed class DatabaseTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Database_is_created_listed_fetched_and_updated()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateAsync("/v3/databases", new { name = "Shop", description = "Customers" });
        var json = await client.GetJsonAsync($"/v3/database/{db}");
        json.Str("name").ShouldBe("Shop");
        json.Str("description").ShouldBe("Customers");
        json["archived"]!.GetValue<bool>().ShouldBeFalse();
        (await client.GetJsonAsync("/v3/databases")).DataIds().ShouldBe([db.S()]);

        await (await client.PutJsonAsync($"/v3/database/{db}", new { name = "Webshop", archived = true })).ShouldHaveStatusAsync(204);
        json = await client.GetJsonAsync($"/v3/database/{db}");
        json.Str("name").ShouldBe("Webshop");
        json.Str("description").ShouldBe("Customers");
        json["archived"]!.GetValue<bool>().ShouldBeTrue();
        (await client.GetJsonAsync("/v3/database/webshop")).Str("ID").ShouldBe(db.S());
    }

    [Fact]
    public async Task Database_shows_its_fields_interests_and_collections()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var interest = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf", group = "sport" });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var json = await client.GetJsonAsync($"/v3/database/{db}");
        json["interests"].DataIds().ShouldBe([interest.S()]);
        var c = json["collections"]!["data"]![0]!;
        c.Str("ID").ShouldBe(collection.S());
        c.Str("database").ShouldBe(db.S());
        c["fields"]!["data"]![0].Str("name").ShouldBe("sku");
    }

    [Fact]
    public async Task Collection_is_created_fetched_listed_and_renamed()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        (await client.GetJsonAsync($"/v3/database/{db}/collections")).DataIds().ShouldBe([collection.S()]);
        await (await client.PutJsonAsync($"/v3/collection/{collection}", new { name = "Purchases" })).ShouldHaveStatusAsync(204);
        var json = await client.GetJsonAsync($"/v3/collection/{collection}");
        json.Str("name").ShouldBe("Purchases");
        json.Str("database").ShouldBe(db.S());
    }

    [Fact]
    public async Task Collection_fields_are_created_listed_updated_and_deleted()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var field = await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        (await client.GetJsonAsync($"/v3/collection/{collection}/fields")).DataIds().ShouldBe([field.S()]);
        await (await client.PutJsonAsync($"/v3/collection/{collection}/field/{field}", new { name = "article" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/collection/{collection}/fields"))["data"]![0].Str("name").ShouldBe("article");
        await (await client.DeleteAsync($"/v3/collection/{collection}/field/{field}")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/collection/{collection}/fields"))["count"]!.GetValue<long>().ShouldBe(0);
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["count"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [InlineData("database/{db}/unsubscribe")]
    [InlineData("collection/{c}/unsubscribe")]
    public async Task Unsubscribe_behaviour_is_read_and_set(string path)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("newsletter", "text"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var url = "/v3/" + path.Replace("{db}", db.S(), StringComparison.Ordinal).Replace("{c}", collection.S(), StringComparison.Ordinal);

        (await client.GetJsonAsync(url)).Str("behavior").ShouldBe("nothing");
        await (await client.PutJsonAsync(url, new { behavior = "update", fields = new { newsletter = "no" } })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync(url)).ToJsonString().ShouldBe("{\"behavior\":\"update\",\"fields\":{\"newsletter\":\"no\"}}");
        await (await client.PutJsonAsync(url, new { behavior = "remove" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync(url)).Str("behavior").ShouldBe("remove");

        await (await client.PutJsonAsync(url, new { behavior = "explode" })).ShouldBeCopernicaErrorAsync();
        await (await client.SendAsync(HttpMethod.Put, url, "{\"behavior\":\"update\",\"fields\":\"newsletter\"}")).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync(url)).Str("behavior").ShouldBe("remove");
    }
}
