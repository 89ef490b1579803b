using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>PUT database/{id}/profiles (bulk update and upsert) and DELETE database/{id}/profiles (all or nothing).</summary>
public sealed class BulkProfileTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db, long A, long B, long C)> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("city", "text"), ("vip", "text"));
        var a = await client.CreateProfileAsync(db, new { city = "Utrecht" });
        var b = await client.CreateProfileAsync(db, new { city = "utrecht" });
        var c = await client.CreateProfileAsync(db, new { city = "Delft" });
        return (client, db, a, b, c);
    }

    private static async Task<string> VipAsync(ApiClient client, long pid) => (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).Str("vip");

    [Fact]
    public async Task Bulk_put_updates_every_matching_profile_and_nothing_else()
    {
        var (client, db, a, b, c) = await SeedAsync();
        var response = await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=city==Utrecht", new { fields = new { vip = "yes" } });
        await response.ShouldHaveStatusAsync(204);
        (await VipAsync(client, a)).ShouldBe("yes");
        (await VipAsync(client, b)).ShouldBe("yes");
        (await VipAsync(client, c)).ShouldBe("");
    }

    [Fact]
    public async Task Bulk_put_without_create_and_without_match_changes_nothing()
    {
        var (client, db, _, _, _) = await SeedAsync();
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=city==Paris", new { fields = new { vip = "yes" } })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Bulk_put_skips_removed_profiles()
    {
        var (client, db, a, _, _) = await SeedAsync();
        await (await client.DeleteAsync($"/v3/profile/{a}")).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=id=={a}&create=1", new { fields = new { vip = "yes" } })).ShouldHaveStatusAsync(201);
        (await VipAsync(client, a)).ShouldBe("");
    }

    [Fact]
    public async Task Bulk_put_with_non_object_fields_is_invalid_data()
    {
        var (client, db, a, _, _) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}/profiles?fields[]=city==Utrecht", "{\"fields\":[\"vip\"]}")).ShouldBeCopernicaErrorAsync("Invalid data provided");
        (await VipAsync(client, a)).ShouldBe("");
    }

    [Fact]
    public async Task Bulk_delete_removes_the_listed_profiles()
    {
        var (client, db, a, b, c) = await SeedAsync();
        var response = await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", $"{{\"profiles\":[{a},\"{b}\"]}}");
        await response.ShouldHaveStatusAsync(204);
        response.Header("X-deleted").ShouldNotBeNull();
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Select(x => x!.GetValue<string>()).ShouldBe([c.S()]);
    }

    [Fact]
    public async Task Bulk_delete_with_one_unknown_id_removes_nothing()
    {
        var (client, db, a, b, _) = await SeedAsync();
        var response = await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", $"{{\"profiles\":[{a},{b},987654321]}}");
        await response.ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(3);
        (await client.GetJsonAsync($"/v3/profile/{a}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.False);
    }

    [Fact]
    public async Task Bulk_delete_of_a_profile_in_another_database_removes_nothing()
    {
        var (client, db, a, _, _) = await SeedAsync();
        var other = await client.CreateDatabaseAsync("Other");
        var foreign = await client.CreateProfileAsync(other, new { });
        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", $"{{\"profiles\":[{a},{foreign}]}}")).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{other}/profileids")).AsArray().Count.ShouldBe(1);
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Bulk_delete_without_a_profiles_list_is_refused()
    {
        var (client, db, _, _, _) = await SeedAsync();
        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", "{\"profiles\":\"all\"}")).ShouldBeCopernicaErrorAsync();
        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", "{\"profiles\":[\"abc\"]}")).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync($"/v3/database/{db}/profileids")).AsArray().Count.ShouldBe(3);
    }
}
