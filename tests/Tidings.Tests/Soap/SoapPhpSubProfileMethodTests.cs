using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// A test per <c>SubProfile_*</c> method with PHP's own SoapClient, given only the WSDL URL and a token; each answer's
/// <c>result</c> is checked against the WSDL's <c>Result</c> type.
/// </summary>
public sealed class SoapPhpSubProfileMethodTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new account's subprofile Anna, 7, of a collection with fields name and age.</summary>
    private async Task<(ApiClient Client, long Subprofile)> AnnaAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Children" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "name", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "age", type = "integer" });
        var profile = await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });
        return (client, await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { name = "Anna", age = 7 }));
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task SubProfile_retrieve_answers_the_subprofile_with_its_fields()
    {
        var (client, sub) = await AnnaAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "SubProfile_retrieve", new { id = sub });

        answer.Ok["subprofile"]!["id"]!.ToString().ShouldBe(sub.S());
        answer.Ok["subprofile"]!["fields"]!["pair"]!.AsArray().Select(p => p!["key"]!.ToString()).ShouldBe(["name", "age"]);
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task SubProfile_fields_answers_a_map()
    {
        var (client, sub) = await AnnaAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "SubProfile_fields", new { id = sub });

        answer.Ok["map"]!["pair"]!.AsArray().Select(p => $"{p!["key"]}={p["value"]}").ShouldBe(["name=Anna", "age=7"]);
        answer.ValidResult(schemas);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task SubProfile_updateFields_changes_the_fields()
    {
        var (client, sub) = await AnnaAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "SubProfile_updateFields",
            new { id = sub, fields = new { pair = new[] { new { key = "age", value = "8" } } } });

        answer.Ok["value"]!.ToString().ShouldBe("1");
        answer.ValidResult(schemas);
        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["fields"]!["age"]!.GetValue<string>().ShouldBe("8");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task SubProfile_update_sets_the_code()
    {
        var (client, sub) = await AnnaAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "SubProfile_update", new { id = sub, code = "php-code" });

        answer.Ok["subprofile"]!["code"]!.ToString().ShouldBe("php-code");
        answer.ValidResult(schemas);
        (await client.GetJsonAsync($"/v3/subprofile/{sub}")).Str("secret").ShouldBe("php-code");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task SubProfile_remove_answers_value_1_and_a_second_remove_is_a_fault()
    {
        var (client, sub) = await AnnaAsync();
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("SubProfile_remove", new { id = sub }, client.Token), new PhpSoapCall("SubProfile_remove", new { id = sub }, client.Token));

        answers[0].Ok["value"]!.ToString().ShouldBe("1");
        answers[0].ValidResult(schemas);
        answers[1].FaultString.ShouldBe("This subprofile has already been removed");
        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["removed"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }
}
