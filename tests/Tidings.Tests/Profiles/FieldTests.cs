using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Database fields: create, update (rename, retype with value conversion, index on/off), delete.</summary>
public sealed class FieldTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Field_is_created_with_its_properties_and_listed()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "colour", type = "select", value = "red\r\nblue", displayed = true, hidden = false, index = true, length = 40 });
        var json = (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]![0]!;
        json.ToJsonString().ShouldBe(
            $"{{\"ID\":\"{field}\",\"name\":\"colour\",\"type\":\"select\",\"value\":\"red\\r\\nblue\",\"displayed\":true,\"ordered\":false,\"length\":\"40\",\"textlines\":\"1\",\"hidden\":false,\"index\":true}}");
    }

    [Fact]
    public async Task Renaming_a_field_keeps_its_values()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "town", type = "text" });
        var pid = await client.CreateProfileAsync(db, new { town = "Delft" });
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { name = "city" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).ToJsonString().ShouldBe("{\"city\":\"Delft\"}");
    }

    [Fact]
    public async Task Changing_the_type_converts_every_stored_value()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "age", type = "text", index = true });
        var a = await client.CreateProfileAsync(db, new { age = "42 years" });
        var b = await client.CreateProfileAsync(db, new { age = "unknown" });
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { type = "integer" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{a}/fields")).Str("age").ShouldBe("42");
        (await client.GetJsonAsync($"/v3/profile/{b}/fields")).Str("age").ShouldBe("0");
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?fields[]=age>10")).DataIds().ShouldBe([a.S()]);
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?orderby=age&order=desc")).DataIds().ShouldBe([a.S(), b.S()]);
        (await IndexCountAsync(db)).ShouldBe(1);
    }

    private async Task<long> IndexCountAsync(long db) =>
        await app.FieldIndexCountAsync(Tidings.Profiles.ProfileTables.ForDatabase(db));

    [Fact]
    public async Task Index_can_be_switched_on_and_off()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var table = Tidings.Profiles.ProfileTables.ForDatabase(db);
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "email", type = "email" });
        (await app.FieldIndexCountAsync(table)).ShouldBe(0);
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { index = true })).ShouldHaveStatusAsync(204);
        (await app.FieldIndexCountAsync(table)).ShouldBe(1);
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]![0]!["index"]!.GetValue<bool>().ShouldBeTrue();
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { index = false })).ShouldHaveStatusAsync(204);
        (await app.FieldIndexCountAsync(table)).ShouldBe(0);
    }

    [Fact]
    public async Task Deleting_a_field_removes_it_and_its_values()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("keep", "text"));
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "drop", type = "integer", index = true });
        var pid = await client.CreateProfileAsync(db, new { keep = "k", drop = 5 });
        await (await client.DeleteAsync($"/v3/database/{db}/field/{field}")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).ToJsonString().ShouldBe("{\"keep\":\"k\"}");
        await (await client.DeleteAsync($"/v3/database/{db}/field/{field}")).ShouldBeCopernicaErrorAsync("No field with supplied ID");
        var again = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "drop", type = "text" });
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).ToJsonString().ShouldBe("{\"keep\":\"k\",\"drop\":\"\"}");
        again.ShouldNotBe(field);
    }

    [Fact]
    public async Task Email_type_is_allowed_once_per_database()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        await (await client.PostJsonAsync($"/v3/database/{db}/fields", new { name = "email2", type = "email" })).ShouldBeCopernicaErrorAsync();
        var text = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "other", type = "text" });
        await (await client.PutJsonAsync($"/v3/database/{db}/field/{text}", new { type = "email" })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]!.AsArray().Count(f => f.Str("type") == "email").ShouldBe(1);
    }
}
