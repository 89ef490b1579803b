using System.Xml.Schema;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// A test per Database_* method with PHP's own SoapClient, given only the WSDL URL and a token; each answer's
/// <c>result</c> is checked against the WSDL's <c>Result</c> type.
/// </summary>
public sealed class SoapPhpDatabaseMethodTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<XmlSchemaSet> SchemasAsync() => SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

    private static object Pairs(params (string Key, string Value)[] pairs) => new { pair = pairs.Select(p => new { key = p.Key, value = p.Value }).ToArray() };

    private static object[] Requirement(string field, string value) => [new Dictionary<string, string> { ["fieldname"] = field, ["operator"] = "=", ["value"] = value }];

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_update_renames_the_database()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_update", new { id = db, name = "Store", description = "All of it" });

        answer.Ok["database"]!["name"]!.ToString().ShouldBe("Store");
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/database/{db}")).Str("description").ShouldBe("All of it");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_remove_removes_the_database_as_the_copernica_test_client_does_before_it_starts()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Fictional Persons 3", ("Email", "email"));
        await client.CreateProfileAsync(db, new { Email = "ed@emmer.nl" });

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("Database_remove", new { id = db }, client.Token),
            new PhpSoapCall("Account_database", new { identifier = "Fictional Persons 3" }, client.Token));

        answers[0].Ok["value"]!.ToString().ShouldBe("1");
        answers[0].ValidResult(await SchemasAsync());
        answers[1].Ok.ToJsonString().ShouldNotContain("database", Case.Sensitive, "the name is free again");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_field_answers_one_field_by_name()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("Email", "email"));

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_field", new { id = db, identifier = "email" });

        answer.Ok["databasefield"]!["type"]!.ToString().ShouldBe("email");
        answer.ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_createField_adds_the_fields_of_the_copernica_test_client()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Fictional Persons 3");

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("Database_createField", new { id = db, name = "FirstName", display = true }, client.Token),
            new PhpSoapCall("Database_createField", new { id = db, name = "Email", display = true, specialcontent = "email" }, client.Token));

        answers[1].Ok["databasefield"]!["type"]!.ToString().ShouldBe("email");
        var schemas = await SchemasAsync();
        foreach (var a in answers) a.ValidResult(schemas);
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]!.AsArray().Select(f => f.Str("name")).ShouldBe(["FirstName", "Email"]);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_interests_lists_the_interests()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "news" });
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "sale" });

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_interests", new { id = db });

        answer.Ok["total"]!.ToString().ShouldBe("2");
        answer.Ok["items"]!["interest"]!.AsArray().Select(i => i!["name"]!.ToString()).ShouldBe(["news", "sale"]);
        answer.ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_createInterest_adds_an_interest()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_createInterest", new { id = db, name = "news", group = "mail" });

        answer.Ok["interest"]!["group"]!.ToString().ShouldBe("mail");
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/database/{db}/interests"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_collections_lists_the_collections_as_the_node_client_reads_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Children" });

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_collections", new { id = db, allproperties = true });

        answer.Ok["items"]!["collection"]!["name"]!.ToString().ShouldBe("Children", "a single item is an object to PHP");
        answer.ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_createCollection_adds_a_collection()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_createCollection", new { id = db, name = "Children" });

        var id = answer.Ok["collection"]!["id"]!.ToString();
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/collection/{id}")).Str("name").ShouldBe("Children");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_updateProfiles_updates_and_lists_the_matching_profiles()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("vip", "text"));
        var profile = await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_updateProfiles",
            new { id = db, requirements = Requirement("email", "ed@emmer.nl"), fields = Pairs(("vip", "yes")), allproperties = true });

        answer.Ok["total"]!.ToString().ShouldBe("1");
        answer.Ok["items"]!["profile"]!["id"]!.ToString().ShouldBe(profile.S());
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/profile/{profile}"))["fields"]!["vip"]!.ToString().ShouldBe("yes");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_removeProfiles_removes_the_matching_profiles()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });
        await client.CreateProfileAsync(db, new { email = "kept@emmer.nl" });

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_removeProfiles", new { id = db, requirements = Requirement("email", "ed@emmer.nl") });

        answer.Ok["value"]!.ToString().ShouldBe("1");
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/database/{db}/profiles"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_unsubscribeValues_answers_the_values_as_a_map()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("newsletter", "text"));
        (await client.PutJsonAsync($"/v3/database/{db}/unsubscribe", new { behavior = "update", fields = new { newsletter = "no" } })).EnsureSuccessStatusCode();

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_unsubscribeValues", new { id = db });

        answer.Ok["map"]!["pair"]!["key"]!.ToString().ShouldBe("newsletter");
        answer.Ok["map"]!["pair"]!["value"]!.ToString().ShouldBe("no");
        answer.ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_setUnsubscribeValues_sets_the_values_and_behaviour()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("newsletter", "text"));

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_setUnsubscribeValues", new { id = db, fields = Pairs(("newsletter", "no")) });

        answer.Ok["value"]!.ToString().ShouldBe("1");
        answer.ValidResult(await SchemasAsync());
        var rest = await client.GetJsonAsync($"/v3/database/{db}/unsubscribe");
        rest.Str("behavior").ShouldBe("update");
        rest["fields"]!["newsletter"]!.ToString().ShouldBe("no");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_retrieve_answers_the_database_by_id_or_name()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("Database_retrieve", new { id = db }, client.Token),
            new PhpSoapCall("Database_retrieve", new { id = "shop" }, client.Token));

        answers[0].Ok["database"]!["name"]!.ToString().ShouldBe("Shop");
        answers[1].Ok["database"]!["id"]!.ToString().ShouldBe(db.S());
        answers[0].ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_fields_lists_the_fields_in_order()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("Email", "email"), ("Name", "text"));

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_fields", new { id = db });

        answer.Ok["total"]!.ToString().ShouldBe("2");
        answer.Ok["items"]!["databasefield"]!.AsArray().Select(f => f!["name"]!.ToString()).ShouldBe(["Email", "Name"]);
        answer.ValidResult(await SchemasAsync());
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_createProfile_creates_the_row_rest_reads()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("Email", "email"));

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Database_createProfile", new { id = db, fields = Pairs(("Email", "ed@emmer.nl")) });

        var id = answer.Ok["profile"]!["id"]!.ToString();
        answer.ValidResult(await SchemasAsync());
        (await client.GetJsonAsync($"/v3/profile/{id}"))["fields"]!["Email"]!.ToString().ShouldBe("ed@emmer.nl");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Database_searchProfiles_finds_by_requirement_with_fields_only_when_asked()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("Email", "email"));
        var ed = await client.CreateProfileAsync(db, new { Email = "ed@emmer.nl" });
        await client.CreateProfileAsync(db, new { Email = "other@emmer.nl" });

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("Database_searchProfiles", new { id = db, requirements = Requirement("Email", "ED@emmer.nl") }, client.Token),
            new PhpSoapCall("Database_searchProfiles", new { id = db, requirements = Requirement("Email", "ed@emmer.nl"), allproperties = true }, client.Token));

        answers[0].Ok["total"]!.ToString().ShouldBe("1");
        answers[0].Ok["items"]!["profile"]!["id"]!.ToString().ShouldBe(ed.S());
        answers[0].Ok["items"]!["profile"]!["fields"].ShouldBeNull();
        answers[1].Ok["items"]!["profile"]!["fields"]!["pair"]!["value"]!.ToString().ShouldBe("ed@emmer.nl");
        answers[0].ValidResult(await SchemasAsync());
        answers[1].ValidResult(await SchemasAsync());
    }
}
