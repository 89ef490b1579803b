using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// The Profile_* methods with PHP's own SoapClient, given only the WSDL URL and a token, one test per method; each
/// answer's <c>result</c> is checked against the WSDL's <c>Result</c> type.
/// </summary>
public sealed class SoapPhpProfileMethodTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Seed(ApiClient Client, long Db, long Collection, long Ann);

    private async Task<Seed> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        foreach (var interest in new[] { "golf", "tennis" }) await client.CreateAsync($"/v3/database/{db}/interests", new { name = interest });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var ann = await client.CreateProfileAsync(db, new { email = "ann@b.nl", name = "Ann" }, new[] { "golf" });
        return new Seed(client, db, collection, ann);
    }

    private async Task<JsonNode> CallAsync(Seed s, string method, object parameters)
    {
        var answer = await PhpSoap.CallAsync(app.BaseAddress, s.Client.Token, method, parameters);
        var result = answer.Ok;
        answer.ValidResult(await SoapResultSchema.LoadAsync(app.CreateClient(), Ct));
        return result;
    }

    private static object Pairs(params (string Key, string Value)[] pairs) => new { pair = pairs.Select(p => new { key = p.Key, value = p.Value }).ToArray() };

    /// <summary>PHP decodes one item of a list as an object and several as an array.</summary>
    private static List<JsonNode> Items(JsonNode? node) => node switch
    {
        null => [],
        JsonArray list => list.Select(n => n!).ToList(),
        _ => [node],
    };

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_retrieve_gives_the_profile_with_its_fields_and_interests()
    {
        var s = await SeedAsync();
        var profile = (await CallAsync(s, "Profile_retrieve", new { id = s.Ann }))["profile"]!;
        profile["id"]!.ToString().ShouldBe(s.Ann.S());
        Items(profile["interests"]!["pair"]).Select(p => $"{p["key"]}={p["value"]}").ShouldBe(["golf=1", "tennis=0"]);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_fields_gives_a_map_of_the_field_values()
    {
        var s = await SeedAsync();
        var map = await CallAsync(s, "Profile_fields", new { id = s.Ann });
        Items(map["map"]!["pair"]).Select(p => $"{p["key"]}={p["value"]}").ShouldBe(["email=ann@b.nl", "name=Ann"]);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_updateFields_changes_the_fields_rest_sees()
    {
        var s = await SeedAsync();
        (await CallAsync(s, "Profile_updateFields", new { id = s.Ann, fields = Pairs(("name", "Anna")) }))["value"]!.ToString().ShouldBe("1");
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/fields")).Str("name").ShouldBe("Anna");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_interests_gives_every_interest_as_1_or_0()
    {
        var s = await SeedAsync();
        var map = await CallAsync(s, "Profile_interests", new { id = s.Ann });
        Items(map["map"]!["pair"]).Select(p => $"{p["key"]}={p["value"]}").ShouldBe(["golf=1", "tennis=0"]);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_updateInterests_sets_the_named_interests_only()
    {
        var s = await SeedAsync();
        (await CallAsync(s, "Profile_updateInterests", new { id = s.Ann, interests = Pairs(("tennis", "1")) }))["value"]!.ToString().ShouldBe("1");
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/interests")).AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["golf", "tennis"]);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_remove_removes_the_profile()
    {
        var s = await SeedAsync();
        (await CallAsync(s, "Profile_remove", new { id = s.Ann }))["value"]!.ToString().ShouldBe("1");
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        var again = await PhpSoap.CallAsync(app.BaseAddress, s.Client.Token, "Profile_remove", new { id = s.Ann });
        again.FaultCode.ShouldNotBeNull();
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_createSubProfile_creates_one_in_the_collection_given_by_id_as_PomSoapClient_sends_it()
    {
        var s = await SeedAsync();
        var sub = (await CallAsync(s, "Profile_createSubProfile", new { id = s.Ann, collection = new { id = s.Collection }, fields = Pairs(("sku", "A1")) }))["subprofile"]!;
        (await s.Client.GetJsonAsync($"/v3/subprofile/{sub["id"]}/fields")).Str("sku").ShouldBe("A1");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_searchSubProfiles_lists_the_matching_subprofiles()
    {
        var s = await SeedAsync();
        await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1" });
        await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "a2" });
        var found = await CallAsync(s, "Profile_searchSubProfiles", new
        {
            id = s.Ann, collection = new { name = "Orders" }, allproperties = true,
            requirements = new[] { new { fieldname = "sku", @operator = "LIKE", value = "A%", casesensitive = true } },
        });
        found["total"]!.ToString().ShouldBe("1");
        Items(found["items"]!["subprofile"]).Single()["fields"]!["pair"]!["value"]!.ToString().ShouldBe("A1");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Profile_updateSubProfiles_changes_and_lists_the_matching_subprofiles()
    {
        var s = await SeedAsync();
        var a1 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1" });
        await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "B1" });
        var updated = await CallAsync(s, "Profile_updateSubProfiles", new
        {
            id = s.Ann, collection = new { id = s.Collection }, fields = Pairs(("sku", "A1-done")),
            requirements = new[] { new { fieldname = "sku", @operator = "=", value = "a1" } },
        });
        updated["total"]!.ToString().ShouldBe("1");
        Items(updated["items"]!["subprofile"]).Single()["id"]!.ToString().ShouldBe(a1.S());
        (await s.Client.GetJsonAsync($"/v3/subprofile/{a1}/fields")).Str("sku").ShouldBe("A1-done");
    }
}
