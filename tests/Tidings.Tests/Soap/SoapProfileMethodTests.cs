using System.Net;
using System.Security;
using System.Text;
using System.Xml.Linq;
using System.Xml.Schema;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// The Profile_* methods through the test server (both storage passes): each one's behaviour, the REST
/// view and journal of every change, Faults that leave nothing written, and the requirements' <c>casesensitive</c>.
/// </summary>
public sealed class SoapProfileMethodTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly SoapInProcess _soap = new(app);

    private sealed record Seed(ApiClient Client, long Db, long Collection, long Ann, long Bob);

    /// <summary>A database with an email and a text field and interests golf, tennis and chess; a collection Orders (sku, qty); Ann and Bob.</summary>
    private async Task<Seed> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        foreach (var interest in new[] { "golf", "tennis", "chess" }) await client.CreateAsync($"/v3/database/{db}/interests", new { name = interest });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "qty", type = "integer" });
        var ann = await client.CreateProfileAsync(db, new { email = "ann@b.nl", name = "Ann" }, new[] { "golf", "chess" });
        var bob = await client.CreateProfileAsync(db, new { email = "bob@b.nl", name = "Bob" });
        return new Seed(client, db, collection, ann, bob);
    }

    /// <summary>A call that must succeed; its <c>result</c>, checked against the WSDL's <c>Result</c> type.</summary>
    private Task<XElement> CallAsync(ApiClient client, string method, string members = "") => _soap.CallAsync(client, method, members);

    /// <summary>A call that must be refused with a client Fault; its <c>faultstring</c>.</summary>
    private Task<string> FaultAsync(ApiClient client, string method, string members = "") => _soap.FaultAsync(client, method, members);

    private static string Pairs(string member, params (string Key, string Value)[] pairs) =>
        $"<{member}>" + string.Concat(pairs.Select(p => $"<pair><key>{SecurityElement.Escape(p.Key)}</key><value>{SecurityElement.Escape(p.Value)}</value></pair>")) + $"</{member}>";

    private static string Requirement(string field, string op, string value, bool? caseSensitive = null) =>
        $"<requirements><fieldname>{field}</fieldname><operator>{SecurityElement.Escape(op)}</operator><value>{SecurityElement.Escape(value)}</value>" +
        (caseSensitive is null ? "" : $"<casesensitive>{(caseSensitive.Value ? "true" : "false")}</casesensitive>") + "</requirements>";

    private static List<(string, string)> MapOf(XElement map) =>
        map.Elements("pair").Select(p => (p.Element("key")!.Value, p.Element("value")!.Value)).ToList();

    private static List<string> ItemIds(XElement listing, string entity = "subprofile") =>
        listing.Element("items")!.Elements(entity).Select(e => e.Element("id")!.Value).ToList();

    private async Task<List<JournalRecord>> SoapJournalAsync(ApiClient client) =>
        (await app.JournalAsync(client.AccountId)).Where(r => r.Payload["source"]?.GetValue<string>() == "soap").ToList();

    [Fact]
    public async Task Profile_interests_maps_every_interest_of_the_database_to_1_or_0()
    {
        var s = await SeedAsync();

        var map = (await CallAsync(s.Client, "Profile_interests", $"<id>{s.Ann}</id>")).Element("map")!;

        MapOf(map).ShouldBe([("golf", "1"), ("tennis", "0"), ("chess", "1")]);
        MapOf((await CallAsync(s.Client, "Profile_interests", $"<id>{s.Bob}</id>")).Element("map")!).ShouldBe([("golf", "0"), ("tennis", "0"), ("chess", "0")]);
        (await FaultAsync(s.Client, "Profile_interests", "<id>999999</id>")).ShouldBe(CopernicaErrors.NoProfile);
        (await FaultAsync(s.Client, "Profile_interests")).ShouldBe("Missing parameter 'id'");
    }

    [Fact]
    public async Task Profile_updateInterests_sets_and_unsets_the_named_interests_and_leaves_the_others_as_they_are()
    {
        var s = await SeedAsync();

        var answer = await CallAsync(s.Client, "Profile_updateInterests", $"<id>{s.Ann}</id>" + Pairs("interests", ("tennis", "1"), ("Golf", "0"), ("unknown", "1")));

        answer.Element("value")!.Value.ShouldBe("1");
        var rest = (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/interests")).AsArray().Select(n => n!.GetValue<string>()).ToList();
        rest.ShouldBe(["tennis", "chess"], ignoreOrder: true);
        var update = (await SoapJournalAsync(s.Client)).Single();
        update.Type.ShouldBe("profile.update");
        update.Payload["profile"]!.GetValue<long>().ShouldBe(s.Ann);

        (await FaultAsync(s.Client, "Profile_updateInterests", $"<id>{s.Ann}</id>")).ShouldBe("Missing parameter 'interests'");
        (await FaultAsync(s.Client, "Profile_updateInterests", "<id>999999</id>" + Pairs("interests", ("golf", "1")))).ShouldBe(CopernicaErrors.NoProfile);
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}/interests")).AsArray().Count.ShouldBe(2);
        (await SoapJournalAsync(s.Client)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Profile_remove_removes_the_profile_and_its_subprofiles_as_rest_does()
    {
        var s = await SeedAsync();
        var sub = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1" });

        (await CallAsync(s.Client, "Profile_remove", $"<id>{s.Ann}</id>")).Element("value")!.Value.ShouldBe("1");

        (await s.Client.GetJsonAsync($"/v3/profile/{s.Ann}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{sub}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        (await s.Client.GetJsonAsync($"/v3/database/{s.Db}/profiles"))["total"]!.GetValue<int>().ShouldBe(1);
        (await SoapJournalAsync(s.Client)).Select(r => r.Type).ShouldBe(["subprofile.delete", "profile.delete"]);

        (await FaultAsync(s.Client, "Profile_remove", $"<id>{s.Ann}</id>")).ShouldBe(CopernicaErrors.ProfileAlreadyRemoved);
        (await FaultAsync(s.Client, "Profile_remove", "<id>999999</id>")).ShouldBe(CopernicaErrors.NoProfile);
        (await FaultAsync(s.Client, "Profile_remove")).ShouldBe("Missing parameter 'id'");
        (await SoapJournalAsync(s.Client)).Count.ShouldBe(2);
        (await s.Client.GetJsonAsync($"/v3/profile/{s.Bob}"))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.False);
    }

    [Fact]
    public async Task Profile_createSubProfile_takes_the_collection_by_id_or_name_and_is_the_row_rest_sees()
    {
        var s = await SeedAsync();

        var byId = (await CallAsync(s.Client, "Profile_createSubProfile",
            $"<id>{s.Ann}</id><timestamp>2024-01-01 00:00:00</timestamp><collection><id>{s.Collection}</id></collection>" +
            Pairs("fields", ("sku", "A-1"), ("qty", "3")) + "<caller><followups>false</followups></caller>")).Element("subprofile")!;
        var byName = (await CallAsync(s.Client, "Profile_createSubProfile",
            $"<id>{s.Ann}</id><collection><name>orders</name></collection>" + Pairs("fields", ("sku", "A-2")))).Element("subprofile")!;

        var rest = await s.Client.GetJsonAsync($"/v3/subprofile/{byId.Element("id")!.Value}");
        rest["fields"]!.ToJsonString().ShouldBe("{\"sku\":\"A-1\",\"qty\":\"3\"}");
        rest.Str("profile").ShouldBe(s.Ann.S());
        rest.Str("secret").ShouldBe(byId.Element("code")!.Value);
        MapOf(byId.Element("fields")!).ShouldBe([("sku", "A-1"), ("qty", "3")]);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{byName.Element("id")!.Value}"))["fields"]!["sku"]!.GetValue<string>().ShouldBe("A-2");
        var journal = await SoapJournalAsync(s.Client);
        journal.Select(r => r.Type).ShouldBe(["subprofile.create", "subprofile.create"]);
        journal[0].Payload["collection"]!.GetValue<long>().ShouldBe(s.Collection);

        (await FaultAsync(s.Client, "Profile_createSubProfile", $"<id>{s.Ann}</id>" + Pairs("fields", ("sku", "X")))).ShouldBe("Missing parameter 'collection'");
        (await FaultAsync(s.Client, "Profile_createSubProfile", $"<id>{s.Ann}</id><collection><id>999999</id></collection>" + Pairs("fields", ("sku", "X"))))
            .ShouldBe(CopernicaErrors.SubprofileNotCreated);
        (await FaultAsync(s.Client, "Profile_createSubProfile", $"<id>{s.Ann}</id><collection><id>{s.Collection}</id></collection>")).ShouldBe("Missing parameter 'fields'");
        (await FaultAsync(s.Client, "Profile_createSubProfile", $"<id>999999</id><collection><id>{s.Collection}</id></collection>" + Pairs("fields", ("sku", "X"))))
            .ShouldBe(CopernicaErrors.NoProfile);
        (await s.Client.GetJsonAsync($"/v3/collection/{s.Collection}/subprofiles"))["total"]!.GetValue<int>().ShouldBe(2);
        (await SoapJournalAsync(s.Client)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Profile_searchSubProfiles_lists_only_the_profiles_matching_subprofiles_in_a_window()
    {
        var s = await SeedAsync();
        var a1 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1", qty = 1 });
        var a2 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A2", qty = 5 });
        var a3 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A3", qty = 9 });
        await s.Client.CreateAsync($"/v3/profile/{s.Bob}/subprofiles/{s.Collection}", new { sku = "B1", qty = 9 });
        var collection = $"<collection><id>{s.Collection}</id></collection>";

        var all = await CallAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Ann}</id>{collection}");
        all.Element("total")!.Value.ShouldBe("3");
        ItemIds(all).ShouldBe([a1.S(), a2.S(), a3.S()]);
        all.Descendants("fields").ShouldBeEmpty("fields come only with allproperties");

        var window = await CallAsync(s.Client, "Profile_searchSubProfiles",
            $"<id>{s.Ann}</id>{collection}" + Requirement("qty", ">", "2") + "<order>qty</order><asc>false</asc><start>1</start><length>1</length><allproperties>true</allproperties>");
        window.Element("total")!.Value.ShouldBe("2");
        window.Element("start")!.Value.ShouldBe("1");
        window.Element("length")!.Value.ShouldBe("1");
        var item = window.Element("items")!.Elements("subprofile").Single();
        item.Element("id")!.Value.ShouldBe(a2.S());
        MapOf(item.Element("fields")!).ShouldBe([("sku", "A2"), ("qty", "5")]);

        var byName = await CallAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Bob}</id><collection><name>Orders</name></collection>" + Requirement("sku", "LIKE", "B%"));
        byName.Element("total")!.Value.ShouldBe("1");
        var both = await CallAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Bob}</id><collection><id>{s.Collection}</id><name>Nope</name></collection>" + Requirement("sku", "LIKE", "B%"));
        both.Element("total")!.Value.ShouldBe("1", "the id counts when both are given");

        (await FaultAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Ann}</id><collection><name>Nope</name></collection>")).ShouldBe(CopernicaErrors.NoCollection);
        (await FaultAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Ann}</id>")).ShouldBe("Missing parameter 'collection'");
        (await FaultAsync(s.Client, "Profile_searchSubProfiles", $"<id>999999</id>{collection}")).ShouldBe(CopernicaErrors.NoProfile);
        (await FaultAsync(s.Client, "Profile_searchSubProfiles", $"<id>{s.Ann}</id>{collection}" + Requirement("qty", "~~", "1"))).ShouldStartWith("Unknown operator");
    }

    [Fact]
    public async Task Profile_updateSubProfiles_changes_the_matching_subprofiles_lists_them_and_creates_one_when_asked()
    {
        var s = await SeedAsync();
        var a1 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A1", qty = 1 });
        var a2 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A2", qty = 1 });
        var a3 = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "A3", qty = 2 });
        var b1 = await s.Client.CreateAsync($"/v3/profile/{s.Bob}/subprofiles/{s.Collection}", new { sku = "B1", qty = 1 });
        var collection = $"<collection><id>{s.Collection}</id></collection>";

        var updated = await CallAsync(s.Client, "Profile_updateSubProfiles",
            $"<id>{s.Ann}</id>{collection}" + Requirement("qty", "=", "1") + Pairs("fields", ("qty", "7")) + "<length>1</length><allproperties>1</allproperties>");

        updated.Element("total")!.Value.ShouldBe("2");
        updated.Element("length")!.Value.ShouldBe("1");
        var first = updated.Element("items")!.Elements("subprofile").Single();
        first.Element("id")!.Value.ShouldBe(a1.S());
        MapOf(first.Element("fields")!).ShouldBe([("sku", "A1"), ("qty", "7")]);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{a2}/fields")).Str("qty").ShouldBe("7");
        (await s.Client.GetJsonAsync($"/v3/subprofile/{a3}/fields")).Str("qty").ShouldBe("2");
        (await s.Client.GetJsonAsync($"/v3/subprofile/{b1}/fields")).Str("qty").ShouldBe("1");
        var journal = await SoapJournalAsync(s.Client);
        journal.Select(r => r.Type).ShouldBe(["subprofile.update", "subprofile.update"]);
        journal.Select(r => r.Payload["subprofile"]!.GetValue<long>()).ShouldBe([a1, a2]);

        var none = await CallAsync(s.Client, "Profile_updateSubProfiles", $"<id>{s.Ann}</id>{collection}" + Requirement("sku", "=", "Z9") + Pairs("fields", ("qty", "3")));
        none.Element("total")!.Value.ShouldBe("0");
        var created = await CallAsync(s.Client, "Profile_updateSubProfiles",
            $"<id>{s.Ann}</id><collection><name>Orders</name></collection>" + Requirement("sku", "=", "Z9") + Pairs("fields", ("sku", "Z9"), ("qty", "3")) + "<create>true</create>");
        var newId = ItemIds(created).Single();
        (await s.Client.GetJsonAsync($"/v3/subprofile/{newId}")).Str("profile").ShouldBe(s.Ann.S());
        (await SoapJournalAsync(s.Client)).Select(r => r.Type).ShouldBe(["subprofile.update", "subprofile.update", "subprofile.create"]);

        (await FaultAsync(s.Client, "Profile_updateSubProfiles", $"<id>{s.Ann}</id>{collection}" + Pairs("fields", ("qty", "0")))).ShouldBe("Missing parameter 'requirements'");
        (await FaultAsync(s.Client, "Profile_updateSubProfiles", $"<id>{s.Ann}</id>{collection}" + Requirement("qty", "=", "7"))).ShouldBe("Missing parameter 'fields'");
        (await FaultAsync(s.Client, "Profile_updateSubProfiles", $"<id>{s.Ann}</id><collection><id>999999</id></collection>" + Requirement("qty", "=", "7") + Pairs("fields", ("qty", "0"))))
            .ShouldBe(CopernicaErrors.NoCollection);
        (await FaultAsync(s.Client, "Profile_updateSubProfiles", $"<id>999999</id>{collection}" + Requirement("qty", "=", "7") + Pairs("fields", ("qty", "0"))))
            .ShouldBe(CopernicaErrors.NoProfile);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{a1}/fields")).Str("qty").ShouldBe("7");
        (await SoapJournalAsync(s.Client)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Casesensitive_requirements_compare_exactly_and_omitted_or_false_ones_ignore_case_in_profile_searches()
    {
        var s = await SeedAsync();
        var eddy = await s.Client.CreateProfileAsync(s.Db, new { email = "eddy@b.nl", name = "ANN-marie" });

        async Task<List<string>> Search(string requirement) =>
            ItemIds(await CallAsync(s.Client, "Database_searchProfiles", $"<id>{s.Db}</id>{requirement}"), "profile");

        (await Search(Requirement("name", "=", "ann"))).ShouldBe([s.Ann.S()]);
        (await Search(Requirement("name", "=", "ann", caseSensitive: false))).ShouldBe([s.Ann.S()]);
        (await Search(Requirement("name", "=", "ann", caseSensitive: true))).ShouldBeEmpty();
        (await Search(Requirement("name", "=", "Ann", caseSensitive: true))).ShouldBe([s.Ann.S()]);
        (await Search(Requirement("name", "!=", "ann"))).ShouldBe([s.Bob.S(), eddy.S()]);
        (await Search(Requirement("name", "!=", "ann", caseSensitive: true))).ShouldBe([s.Ann.S(), s.Bob.S(), eddy.S()]);
        (await Search(Requirement("name", "LIKE", "ann%"))).ShouldBe([s.Ann.S(), eddy.S()]);
        (await Search(Requirement("name", "LIKE", "ann%", caseSensitive: true))).ShouldBeEmpty();
        (await Search(Requirement("name", "LIKE", "ANN_m%", caseSensitive: true))).ShouldBe([eddy.S()]);
        (await Search(Requirement("name", "NOT LIKE", "A%", caseSensitive: true))).ShouldBe([s.Bob.S()]);
        (await Search(Requirement("code", "=", "x", caseSensitive: true))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Casesensitive_requirements_apply_to_subprofile_searches_and_updates()
    {
        var s = await SeedAsync();
        var lower = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "ab*1", qty = 1 });
        var upper = await s.Client.CreateAsync($"/v3/profile/{s.Ann}/subprofiles/{s.Collection}", new { sku = "AB*1", qty = 1 });
        var collection = $"<id>{s.Ann}</id><collection><id>{s.Collection}</id></collection>";

        async Task<List<string>> Search(string requirement) =>
            ItemIds(await CallAsync(s.Client, "Profile_searchSubProfiles", collection + requirement));

        (await Search(Requirement("sku", "=", "AB*1"))).ShouldBe([lower.S(), upper.S()]);
        (await Search(Requirement("sku", "=", "AB*1", caseSensitive: true))).ShouldBe([upper.S()]);
        (await Search(Requirement("sku", "LIKE", "ab*%", caseSensitive: true))).ShouldBe([lower.S()]);
        (await Search(Requirement("sku", "LIKE", "ab?%", caseSensitive: true))).ShouldBeEmpty("? is a character here, not GLOB's wildcard");
        (await Search(Requirement("sku", "LIKE", "a_*_", caseSensitive: true))).ShouldBe([lower.S()]);

        var updated = await CallAsync(s.Client, "Profile_updateSubProfiles", collection + Requirement("sku", "=", "ab*1", caseSensitive: true) + Pairs("fields", ("qty", "2")));
        ItemIds(updated).ShouldBe([lower.S()]);
        (await s.Client.GetJsonAsync($"/v3/subprofile/{upper}/fields")).Str("qty").ShouldBe("1");
    }

    [Fact]
    public async Task Rest_searches_build_the_same_sql_as_before_and_exact_equality_still_uses_the_fields_index()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Indexed");
        await client.CreateAsync($"/v3/database/{db}/fields", new { name = "city", type = "text", index = true });
        for (var i = 0; i < 20; i++) await client.CreateProfileAsync(db, new { city = "City" + i });
        var storage = app.Services.GetRequiredService<IStorage>();
        var time = app.Services.GetRequiredService<CopernicaTime>();
        var database = await app.Services.GetRequiredService<DatabaseService>().RequireAsync(client.AccountId, db.S(), Ct);
        await using var connection = await storage.OpenReadAsync(Ct);
        var fields = await FieldStore.ListAsync(connection, null, db, 0);
        var column = fields.Find("city")!.Column;

        var (restWhere, _) = RowFilter.Build(storage.Dialect, fields, [new SearchCondition("city", "==", "City3")], time);
        restWhere.ShouldBe("removed IS NULL AND " + storage.Dialect.TextCompare(column, "=", "@c0"));

        var (where, parameters) = RowFilter.Build(storage.Dialect, fields, [new SearchCondition("city", "==", "City3", CaseSensitive: true)], time);
        string plan;
        if (app.OnPostgres)
        {
            // Twenty rows are too few for PostgreSQL to prefer any index by itself; the question is whether it can use it.
            await connection.ExecuteAsync("SET enable_seqscan = off");
            plan = string.Join("\n", await connection.QueryAsync<string>($"EXPLAIN SELECT id FROM {database.ProfileTable} WHERE {where}", parameters));
            await connection.ExecuteAsync("RESET enable_seqscan");
        }
        else
        {
            plan = string.Join("\n", (await connection.QueryAsync($"EXPLAIN QUERY PLAN SELECT id FROM {database.ProfileTable} WHERE {where}", parameters)).Select(r => (string)r.detail));
        }

        plan.ShouldContain($"ix_{database.ProfileTable}_{column}");
        (await connection.QueryAsync<long>($"SELECT id FROM {database.ProfileTable} WHERE {where}", parameters)).Count().ShouldBe(1);
    }
}
