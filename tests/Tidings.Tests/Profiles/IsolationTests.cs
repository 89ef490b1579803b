using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>
/// Account isolation: a token of account A never sees or changes account B's data, by id or by name, on any endpoint
/// family. Every attempt gets Copernica's "No … with supplied ID" error and B's data is unchanged afterwards.
/// </summary>
public sealed class IsolationTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private sealed record Victim(ApiClient Client, long Db, long Field, long Interest, long Collection, long CollectionField, long Profile, long Subprofile, string Snapshot);

    private async Task<Victim> VictimAsync()
    {
        var b = await app.NewAccountAsync("B");
        var db = await b.CreateAsync("/v3/databases", new { name = "Secret" });
        var field = await b.CreateAsync($"/v3/database/{db}/fields", new { name = "email", type = "email" });
        var interest = await b.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        var collection = await b.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var collectionField = await b.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var profile = await b.CreateProfileAsync(db, new { email = "b@b.nl" }, new[] { "golf" });
        var sub = await b.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { sku = "S" });
        return new Victim(b, db, field, interest, collection, collectionField, profile, sub, await SnapshotAsync(b, db, collection, profile, sub));
    }

    /// <summary>Everything of B an attack could touch, as one string (database with fields, interests and collections included).</summary>
    private static async Task<string> SnapshotAsync(ApiClient b, long db, long collection, long profile, long sub)
    {
        string[] paths = [$"database/{db}", $"profile/{profile}", $"subprofile/{sub}", $"database/{db}/unsubscribe", $"collection/{collection}/unsubscribe", $"database/{db}/profileids"];
        var parts = new List<string>();
        foreach (var path in paths) parts.Add((await b.GetJsonAsync("/v3/" + path)).ToJsonString());
        return string.Join('\n', parts);
    }

    private async Task<ApiClient> AttackerAsync()
    {
        var a = await app.NewAccountAsync("A");
        await a.CreateDatabaseAsync("Mine", ("email", "email"));
        return a;
    }

    private static async Task ShouldBeUnchangedAsync(Victim v)
    {
        (await SnapshotAsync(v.Client, v.Db, v.Collection, v.Profile, v.Subprofile)).ShouldBe(v.Snapshot);
        (await v.Client.GetJsonAsync("/v3/databases")).DataIds().ShouldBe([v.Db.S()]);
    }

    [Theory]
    [InlineData("GET", "database/{db}")]
    [InlineData("GET", "database/Secret")]
    [InlineData("GET", "database/secret/profiles")]
    [InlineData("GET", "database/{db}/profiles")]
    [InlineData("GET", "database/{db}/profileids")]
    [InlineData("GET", "database/{db}/fields")]
    [InlineData("GET", "database/{db}/interests")]
    [InlineData("GET", "database/{db}/collections")]
    [InlineData("GET", "database/{db}/unsubscribe")]
    [InlineData("PUT", "database/{db}")]
    [InlineData("POST", "database/{db}")]
    [InlineData("PUT", "database/Secret")]
    [InlineData("PUT", "database/{db}/unsubscribe")]
    [InlineData("PUT", "database/{db}/intentions")]
    [InlineData("POST", "database/{db}/fields")]
    [InlineData("PUT", "database/{db}/field/{field}")]
    [InlineData("DELETE", "database/{db}/field/{field}")]
    [InlineData("POST", "database/{db}/interests")]
    [InlineData("POST", "database/{db}/collections")]
    [InlineData("POST", "database/{db}/profiles")]
    [InlineData("PUT", "database/{db}/profiles?fields[]=email==b@b.nl&create=1")]
    [InlineData("DELETE", "database/{db}/profiles")]
    public async Task Another_accounts_database_is_invisible(string method, string path) =>
        await AttackAsync(method, path, "No database with supplied ID");

    [Theory]
    [InlineData("PUT", "interest/{interest}")]
    [InlineData("DELETE", "interest/{interest}")]
    public async Task Another_accounts_interest_is_invisible(string method, string path) =>
        await AttackAsync(method, path, "No interest with supplied ID");

    [Theory]
    [InlineData("GET", "collection/{collection}")]
    [InlineData("GET", "collection/{collection}/fields")]
    [InlineData("GET", "collection/{collection}/subprofiles")]
    [InlineData("GET", "collection/{collection}/subprofileids")]
    [InlineData("GET", "collection/{collection}/unsubscribe")]
    [InlineData("GET", "collection/Orders")]
    [InlineData("PUT", "collection/{collection}")]
    [InlineData("PUT", "collection/{collection}/unsubscribe")]
    [InlineData("PUT", "collection/{collection}/intentions")]
    [InlineData("POST", "collection/{collection}/fields")]
    [InlineData("PUT", "collection/{collection}/field/{cfield}")]
    [InlineData("DELETE", "collection/{collection}/field/{cfield}")]
    [InlineData("PUT", "collection/{collection}/subprofiles?fields[]=sku==S")]
    public async Task Another_accounts_collection_is_invisible(string method, string path) =>
        await AttackAsync(method, path, "No collection with given ID");

    [Theory]
    [InlineData("GET", "profile/{profile}")]
    [InlineData("GET", "profile/{profile}/fields")]
    [InlineData("GET", "profile/{profile}/interests")]
    [InlineData("GET", "profile/{profile}/subprofiles/{collection}")]
    [InlineData("PUT", "profile/{profile}")]
    [InlineData("POST", "profile/{profile}")]
    [InlineData("PUT", "profile/{profile}/fields")]
    [InlineData("POST", "profile/{profile}/interests")]
    [InlineData("PUT", "profile/{profile}/interests")]
    [InlineData("DELETE", "profile/{profile}")]
    [InlineData("POST", "profile/{profile}/subprofiles/{collection}")]
    [InlineData("PUT", "profile/{profile}/subprofiles/{collection}?fields[]=sku==S")]
    public async Task Another_accounts_profile_is_invisible(string method, string path) =>
        await AttackAsync(method, path, "No entity with supplied ID");

    [Theory]
    [InlineData("GET", "subprofile/{sub}")]
    [InlineData("GET", "subprofile/{sub}/fields")]
    [InlineData("PUT", "subprofile/{sub}")]
    [InlineData("PUT", "subprofile/{sub}/fields")]
    [InlineData("DELETE", "subprofile/{sub}")]
    public async Task Another_accounts_subprofile_is_invisible(string method, string path) =>
        await AttackAsync(method, path, "No subprofile with supplied ID");

    [Fact]
    public async Task Own_profile_cannot_get_subprofiles_in_another_accounts_collection()
    {
        var v = await VictimAsync();
        var a = await AttackerAsync();
        var mine = await a.CreateAsync("/v3/database/Mine/profiles", new { fields = new { email = "a@a.nl" } });
        await (await a.PostJsonAsync($"/v3/profile/{mine}/subprofiles/{v.Collection}", new { sku = "hack" })).ShouldBeCopernicaErrorAsync("Subprofile could not be created");
        await (await a.GetAsync($"/v3/profile/{mine}/subprofiles/{v.Collection}")).ShouldBeCopernicaErrorAsync("No collection with given ID");
        await ShouldBeUnchangedAsync(v);
    }

    [Fact]
    public async Task Own_database_bulk_delete_cannot_remove_another_accounts_profile()
    {
        var v = await VictimAsync();
        var a = await AttackerAsync();
        await (await a.SendAsync(HttpMethod.Delete, "/v3/database/Mine/profiles", $"{{\"profiles\":[{v.Profile}]}}")).ShouldBeCopernicaErrorAsync();
        await ShouldBeUnchangedAsync(v);
    }

    [Fact]
    public async Task Lists_of_an_account_never_include_another_accounts_data()
    {
        var v = await VictimAsync();
        var a = await AttackerAsync();
        var databases = await a.GetJsonAsync("/v3/databases");
        databases.DataIds().ShouldNotContain(v.Db.S());
        databases["total"]!.GetValue<long>().ShouldBe(1);
        (await a.GetJsonAsync("/v3/database/Mine/profiles?fields[]=email==b@b.nl"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    private async Task AttackAsync(string method, string path, string message)
    {
        var v = await VictimAsync();
        var a = await AttackerAsync();
        var url = "/v3/" + path.Replace("{db}", v.Db.S(), StringComparison.Ordinal).Replace("{field}", v.Field.S(), StringComparison.Ordinal)
            .Replace("{interest}", v.Interest.S(), StringComparison.Ordinal).Replace("{collection}", v.Collection.S(), StringComparison.Ordinal)
            .Replace("{cfield}", v.CollectionField.S(), StringComparison.Ordinal).Replace("{profile}", v.Profile.S(), StringComparison.Ordinal)
            .Replace("{sub}", v.Subprofile.S(), StringComparison.Ordinal);
        var body = method == "GET" ? null
            : path.StartsWith("database/{db}/profiles", StringComparison.Ordinal) && method == "DELETE" ? $"{{\"profiles\":[{v.Profile}]}}"
            : "{\"name\":\"Hacked\",\"behavior\":\"remove\",\"email\":true,\"type\":\"integer\",\"fields\":{\"email\":\"hacked@a.nl\",\"sku\":\"hacked\"},\"sku\":\"hacked\",\"interests\":[]}";
        var response = await a.SendAsync(new HttpMethod(method), url, body);
        await response.ShouldBeCopernicaErrorAsync(message);
        await ShouldBeUnchangedAsync(v);
    }
}
