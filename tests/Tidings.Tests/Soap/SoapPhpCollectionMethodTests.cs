using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// A test per <c>Collection_*</c> method with PHP's own SoapClient, given only the WSDL URL and a token; each answer's
/// <c>result</c> is checked against the WSDL's <c>Result</c> type.
/// </summary>
public sealed class SoapPhpCollectionMethodTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A collection "Children" (fields name, age) of a new account's database, with subprofiles Anna 7, Bob 9 and Cleo 12.</summary>
    private async Task<(ApiClient Client, long Collection, long[] Subprofiles)> ChildrenAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Children" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "name", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "age", type = "integer" });
        var profile = await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });
        var subs = new List<long>();
        foreach (var (name, age) in new[] { ("Anna", 7), ("Bob", 9), ("Cleo", 12) })
        {
            subs.Add(await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { name, age }));
        }

        return (client, collection, subs.ToArray());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_retrieve_answers_the_collection()
    {
        var (client, collection, _) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_retrieve", new { id = collection });

        answer.Ok["collection"]!["name"]!.ToString().ShouldBe("Children");
        answer.Ok["collection"]!["id"]!.ToString().ShouldBe(collection.S());
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_fields_lists_the_fields()
    {
        var (client, collection, _) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_fields", new { id = collection });

        answer.Ok["total"]!.ToString().ShouldBe("2");
        answer.Ok["items"]!["collectionfield"]!.AsArray().Select(f => f!["name"]!.ToString()).ShouldBe(["name", "age"]);
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_field_finds_a_field_by_name()
    {
        var (client, collection, _) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_field", new { id = collection, identifier = "age" });

        answer.Ok["collectionfield"]!["type"]!.ToString().ShouldBe("integer");
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_createField_adds_a_field_as_PomSoapClient_does()
    {
        var (client, collection, _) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_createField", new { id = collection, name = "Name2", display = true });

        answer.Ok["collectionfield"]!["name"]!.ToString().ShouldBe("Name2");
        answer.ValidResult(schemas);
        (await client.GetJsonAsync($"/v3/collection/{collection}/fields"))["data"]!.AsArray()
            .Single(f => f!["name"]!.GetValue<string>() == "Name2")!["displayed"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_remove_answers_value_1_and_the_collection_is_gone()
    {
        var (client, collection, _) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_remove", new { id = collection });

        answer.Ok["value"]!.ToString().ShouldBe("1");
        answer.ValidResult(schemas);
        (await client.GetAsync($"/v3/collection/{collection}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_searchSubProfiles_finds_by_requirements()
    {
        var (client, collection, subs) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_searchSubProfiles", new
        {
            id = collection,
            requirements = new[] { new { fieldname = "age", @operator = ">", value = "8" } },
            allproperties = true,
        });

        answer.Ok["total"]!.ToString().ShouldBe("2");
        answer.Ok["items"]!["subprofile"]!.AsArray().Select(s => s!["id"]!.ToString()).ShouldBe([subs[1].S(), subs[2].S()]);
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Collection_removeSubProfiles_removes_the_matching_ones()
    {
        var (client, collection, subs) = await ChildrenAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Collection_removeSubProfiles", new
        {
            id = collection,
            requirements = new[] { new { fieldname = "name", @operator = "=", value = "Bob" } },
        });

        answer.Ok["value"]!.ToString().ShouldBe("1");
        answer.ValidResult(schemas);
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles")).DataIds().ShouldBe([subs[0].S(), subs[2].S()]);
    }
}
