using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>A read-only token of an account can read everything but every POST, PUT and DELETE is refused and changes nothing.</summary>
public sealed class ReadOnlyTokenTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private sealed record Seed(ApiClient Writer, ApiClient Reader, Dictionary<string, string> Ids);

    private async Task<Seed> SeedAsync()
    {
        var writer = await app.NewAccountAsync();
        var db = await writer.CreateDatabaseAsync("Shop", ("email", "email"));
        var field = await writer.CreateAsync($"/v3/database/{db}/fields", new { name = "name", type = "text" });
        var interest = await writer.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        var collection = await writer.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var cfield = await writer.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var profile = await writer.CreateProfileAsync(db, new { email = "a@b.nl" });
        var sub = await writer.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { sku = "S" });
        var ids = new Dictionary<string, string>
        {
            ["{db}"] = db.S(), ["{field}"] = field.S(), ["{interest}"] = interest.S(), ["{collection}"] = collection.S(),
            ["{cfield}"] = cfield.S(), ["{profile}"] = profile.S(), ["{sub}"] = sub.S(),
        };
        return new Seed(writer, await app.NewTokenAsync(writer, canWrite: false), ids);
    }

    private static string Fill(string path, Dictionary<string, string> ids) =>
        "/v3/" + ids.Aggregate(path, (p, kv) => p.Replace(kv.Key, kv.Value, StringComparison.Ordinal));

    private static async Task<string> SnapshotAsync(ApiClient c, Dictionary<string, string> ids)
    {
        string[] paths = ["databases", "database/{db}", "profile/{profile}", "subprofile/{sub}", "database/{db}/unsubscribe", "collection/{collection}", "database/{db}/profileids"];
        var parts = new List<string>();
        foreach (var path in paths) parts.Add((await c.GetJsonAsync(Fill(path, ids))).ToJsonString());
        return string.Join('\n', parts);
    }

    [Fact]
    public async Task Read_only_token_reads_the_accounts_data()
    {
        var s = await SeedAsync();
        (await s.Reader.GetJsonAsync(Fill("database/{db}/profiles", s.Ids))).DataIds().ShouldBe([s.Ids["{profile}"]]);
        (await s.Reader.GetJsonAsync(Fill("subprofile/{sub}", s.Ids))).Str("ID").ShouldBe(s.Ids["{sub}"]);
    }

    [Theory]
    [InlineData("POST", "databases")]
    [InlineData("PUT", "database/{db}")]
    [InlineData("POST", "database/{db}")]
    [InlineData("PUT", "database/{db}/unsubscribe")]
    [InlineData("PUT", "database/{db}/intentions")]
    [InlineData("POST", "database/{db}/fields")]
    [InlineData("PUT", "database/{db}/field/{field}")]
    [InlineData("DELETE", "database/{db}/field/{field}")]
    [InlineData("POST", "database/{db}/interests")]
    [InlineData("PUT", "interest/{interest}")]
    [InlineData("DELETE", "interest/{interest}")]
    [InlineData("POST", "database/{db}/collections")]
    [InlineData("PUT", "collection/{collection}")]
    [InlineData("PUT", "collection/{collection}/unsubscribe")]
    [InlineData("POST", "collection/{collection}/fields")]
    [InlineData("PUT", "collection/{collection}/field/{cfield}")]
    [InlineData("DELETE", "collection/{collection}/field/{cfield}")]
    [InlineData("PUT", "collection/{collection}/subprofiles?fields[]=sku==S")]
    [InlineData("POST", "database/{db}/profiles")]
    [InlineData("PUT", "database/{db}/profiles?fields[]=email==a@b.nl&create=1")]
    [InlineData("DELETE", "database/{db}/profiles")]
    [InlineData("PUT", "profile/{profile}")]
    [InlineData("PUT", "profile/{profile}/fields")]
    [InlineData("POST", "profile/{profile}/interests")]
    [InlineData("PUT", "profile/{profile}/interests")]
    [InlineData("DELETE", "profile/{profile}")]
    [InlineData("POST", "profile/{profile}/subprofiles/{collection}")]
    [InlineData("PUT", "profile/{profile}/subprofiles/{collection}?fields[]=sku==S")]
    [InlineData("PUT", "subprofile/{sub}")]
    [InlineData("PUT", "subprofile/{sub}/fields")]
    [InlineData("DELETE", "subprofile/{sub}")]
    public async Task Read_only_token_cannot_write(string method, string path)
    {
        var s = await SeedAsync();
        var before = await SnapshotAsync(s.Writer, s.Ids);
        var journal = (await app.JournalAsync(s.Writer.AccountId)).Count;
        var body = method == "DELETE" && path.EndsWith("/profiles", StringComparison.Ordinal) ? $"{{\"profiles\":[{s.Ids["{profile}"]}]}}"
            : "{\"name\":\"Changed\",\"type\":\"integer\",\"behavior\":\"remove\",\"email\":\"x@y.nl\",\"sku\":\"X\",\"fields\":{\"email\":\"x@y.nl\",\"sku\":\"X\"},\"interests\":[\"golf\"]}";
        var response = await s.Reader.SendAsync(new HttpMethod(method), Fill(path, s.Ids), body);
        await response.ShouldBeCopernicaErrorAsync("This access token has no write access");
        (await SnapshotAsync(s.Writer, s.Ids)).ShouldBe(before);
        (await app.JournalAsync(s.Writer.AccountId)).Count.ShouldBe(journal);
    }
}
