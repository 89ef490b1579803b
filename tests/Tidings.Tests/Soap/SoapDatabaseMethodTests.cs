using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using System.Xml.Schema;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// The Database_* methods through the test server (both storage passes): what each does, what REST sees of every
/// change, Faults for unknown ids and missing members, and nothing written when a call is refused.
/// </summary>
public sealed class SoapDatabaseMethodTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly SoapInProcess _soap = new(app);

    /// <summary>A call that must succeed; its <c>result</c>, checked against the WSDL's <c>Result</c> type.</summary>
    private Task<XElement> CallAsync(ApiClient client, string method, string members = "") => _soap.CallAsync(client, method, members);

    /// <summary>A call that must be refused with a client Fault; its <c>faultstring</c>.</summary>
    private Task<string> FaultAsync(ApiClient client, string method, string members = "") => _soap.FaultAsync(client, method, members);

    private static string Requirement(string field, string value, string op = "=") =>
        $"<requirements><fieldname>{field}</fieldname><operator>{op}</operator><value>{value}</value></requirements>";

    private static string Map(string member, params (string Key, string Value)[] pairs) =>
        $"<{member}>" + string.Concat(pairs.Select(p => $"<pair><key>{p.Key}</key><value>{p.Value}</value></pair>")) + $"</{member}>";

    private Task<long> TableCountAsync(string table) => app.ScalarAsync<long>(app.OnPostgres
        ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table"
        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table });

    [Fact]
    public async Task Database_update_changes_what_is_given_and_answers_the_database_as_rest_sees_it()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateDatabaseAsync("Taken");

        var answer = await CallAsync(client, "Database_update", $"<id>{db}</id><name>Store</name><archived>1</archived>");

        answer.Element("database")!.Element("name")!.Value.ShouldBe("Store");
        answer.Element("database")!.Element("archived")!.Value.ShouldBe("1");
        var rest = await client.GetJsonAsync($"/v3/database/{db}");
        rest.Str("name").ShouldBe("Store");
        rest["archived"]!.ToString().ShouldBeOneOf("true", "1", "True");

        (await FaultAsync(client, "Database_update", $"<id>{db}</id><name>Taken</name><description>changed</description>")).ShouldContain("already exists");
        (await FaultAsync(client, "Database_update", "<id>999999</id><name>X</name>")).ShouldBe("No database with supplied ID");
        (await FaultAsync(client, "Database_update", "<name>X</name>")).ShouldBe("Missing parameter 'id'");
        var after = await client.GetJsonAsync($"/v3/database/{db}");
        after.Str("name").ShouldBe("Store", "a refused update changes nothing");
        after.Str("description").ShouldBe("");
    }

    [Fact]
    public async Task Database_remove_removes_the_database_with_its_tables_and_rows_audits_it_and_journals_no_profile_events()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Gone", ("email", "email"));
        var keep = await client.CreateDatabaseAsync("Kept", ("email", "email"));
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "news" });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "item" });
        var profile = await client.CreateProfileAsync(db, new { email = "a@b.nl" }, new[] { "news" });
        await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { item = "book" });
        var kept = await client.CreateProfileAsync(keep, new { email = "k@b.nl" });
        var journalBefore = (await app.JournalAsync(client.AccountId)).Count;

        (await CallAsync(client, "Database_remove", $"<id>{db}</id>")).Element("value")!.Value.ShouldBe("1");

        await (await client.GetAsync($"/v3/database/{db}")).ShouldBeCopernicaErrorAsync("No database with supplied ID");
        await (await client.GetAsync($"/v3/profile/{profile}")).ShouldBeCopernicaErrorAsync("No entity with supplied ID");
        await (await client.GetAsync($"/v3/collection/{collection}")).ShouldBeCopernicaErrorAsync("No collection with given ID");
        (await TableCountAsync($"database_{db}_profiles")).ShouldBe(0);
        (await TableCountAsync($"collection_{collection}_subprofiles")).ShouldBe(0);
        foreach (var table in new[] { "fields", "interests", "collections", "profiles" })
        {
            (await app.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE database_id = @db", new { db })).ShouldBe(0, table);
        }

        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM subprofiles WHERE collection_id = @collection", new { collection })).ShouldBe(0);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM profile_interests WHERE profile_id = @profile", new { profile })).ShouldBe(0);
        (await client.GetJsonAsync($"/v3/profile/{kept}"))["fields"]!["email"]!.ToString().ShouldBe("k@b.nl", "other databases are untouched");
        (await app.JournalAsync(client.AccountId)).Count.ShouldBe(journalBefore, "no per-profile events");
        var audit = (await client.GetJsonAsync("/v3/audit?type=database"))["data"]!.AsArray();
        audit.Count.ShouldBe(1);
        audit[0].Str("action").ShouldBe("deleted");
        audit[0].Str("detail").ShouldBe("Gone, with 1 profiles");
        (await FaultAsync(client, "Database_remove", $"<id>{db}</id>")).ShouldBe("No database with supplied ID");
        (await FaultAsync(client, "Database_remove")).ShouldBe("Missing parameter 'id'");
    }

    [Fact]
    public async Task Database_remove_refuses_while_a_webhook_is_scoped_to_the_database_and_removes_nothing()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Watched", ("email", "email"));
        var profile = await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "create", database = db });
        var onCollection = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "create", collection });

        var fault = await FaultAsync(client, "Database_remove", $"<id>{db}</id>");

        fault.ShouldBe($"Database 'Watched' cannot be removed: webhooks {webhook}, {onCollection} are scoped to it; remove them or change their database first");
        (await client.GetJsonAsync($"/v3/profile/{profile}"))["fields"]!["email"]!.ToString().ShouldBe("a@b.nl");
        (await TableCountAsync($"database_{db}_profiles")).ShouldBe(1);
        (await TableCountAsync($"collection_{collection}_subprofiles")).ShouldBe(1);
        (await client.GetJsonAsync($"/v3/webhook/{webhook}")).ShouldNotBeNull();
        (await client.GetJsonAsync("/v3/audit?type=database"))["total"]!.GetValue<long>().ShouldBe(0);

        (await client.DeleteAsync($"/v3/webhook/{webhook}")).EnsureSuccessStatusCode();
        (await FaultAsync(client, "Database_remove", $"<id>{db}</id>")).ShouldContain($"webhook {onCollection} is scoped to it", Case.Sensitive, "a webhook on one of its collections counts");
        (await client.DeleteAsync($"/v3/webhook/{onCollection}")).EnsureSuccessStatusCode();
        (await CallAsync(client, "Database_remove", $"<id>{db}</id>")).Element("value")!.Value.ShouldBe("1");
        (await TableCountAsync($"collection_{collection}_subprofiles")).ShouldBe(0);
    }

    [Fact]
    public async Task Database_remove_refuses_a_database_mailings_went_to()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Mailed", ("email", "email"));
        await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        var mailing = await client.CreateAsync("/v3/ms/emailing", new { target = db, targettype = "database" });

        (await FaultAsync(client, "Database_remove", $"<id>{db}</id>"))
            .ShouldBe($"Database 'Mailed' cannot be removed: mailing {mailing} went to its profiles, and the events of their messages still read them");
        (await client.GetJsonAsync($"/v3/database/{db}")).Str("name").ShouldBe("Mailed");
    }

    [Fact]
    public async Task Database_field_finds_a_field_by_name_or_id_and_answers_empty_for_one_it_does_not_have()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        var nameId = (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]!.AsArray().Single(f => f.Str("name") == "name")!.Str("ID");

        var byName = await CallAsync(client, "Database_field", $"<id>{db}</id><identifier>EMAIL</identifier>");
        var byId = await CallAsync(client, "Database_field", $"<id>{db}</id><identifier>{nameId}</identifier>");

        byName.Element("databasefield")!.Element("type")!.Value.ShouldBe("email");
        byId.Element("databasefield")!.Element("name")!.Value.ShouldBe("name");
        (await CallAsync(client, "Database_field", $"<id>{db}</id><identifier>nothing</identifier>")).HasElements.ShouldBeFalse();
        (await FaultAsync(client, "Database_field", "<id>999999</id><identifier>email</identifier>")).ShouldBe("No database with supplied ID");
        (await FaultAsync(client, "Database_field", $"<id>{db}</id>")).ShouldBe("Missing parameter 'identifier'");
    }

    [Fact]
    public async Task Database_createField_adds_a_field_with_specialcontent_and_rests_members_as_rest_sees_it()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var email = await CallAsync(client, "Database_createField", $"<id>{db}</id><name>Email</name><display>1</display><specialcontent>email</specialcontent>");
        var age = await CallAsync(client, "Database_createField",
            $"<id>{db}</id><name>Age</name><type>integer</type><value>18</value><ordered>1</ordered><index>1</index><hidden>1</hidden><length>10</length><textlines>2</textlines>");

        email.Element("databasefield")!.Element("type")!.Value.ShouldBe("email");
        email.Element("databasefield")!.Element("display")!.Value.ShouldBe("1");
        age.Element("databasefield")!.Element("value")!.Value.ShouldBe("18");
        var rest = (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]!.AsArray();
        rest.Select(f => f.Str("name")).ShouldBe(["Email", "Age"]);
        rest[0].Str("type").ShouldBe("email");
        rest[0]!["displayed"]!.ToString().ShouldBeOneOf("true", "True", "1");
        rest[1].Str("type").ShouldBe("integer");
        rest[1]!["index"]!.ToString().ShouldBeOneOf("true", "True", "1");
        rest[1]!["hidden"]!.ToString().ShouldBeOneOf("true", "True", "1");
        rest[1]!["length"]!.ToString().ShouldBe("10");

        (await FaultAsync(client, "Database_createField", $"<id>{db}</id><name>Fax</name><specialcontent>pigeon</specialcontent>")).ShouldContain("specialcontent");
        (await FaultAsync(client, "Database_createField", $"<id>{db}</id><name>Email2</name><specialcontent>email</specialcontent>")).ShouldContain("only one field of type 'email'");
        (await FaultAsync(client, "Database_createField", $"<id>{db}</id><display>1</display>")).ShouldBe("Missing parameter 'name'");
        (await FaultAsync(client, "Database_createField", "<id>999999</id><name>X</name>")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/database/{db}/fields"))["total"]!.GetValue<int>().ShouldBe(2, "refused creates add nothing");
    }

    [Fact]
    public async Task Database_interests_and_createInterest_list_and_add_interests_as_rest_sees_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "news" });

        var created = await CallAsync(client, "Database_createInterest", $"<id>{db}</id><name>sale</name><group>offers</group>");
        var list = await CallAsync(client, "Database_interests", $"<id>{db}</id>");

        created.Element("interest")!.Element("group")!.Value.ShouldBe("offers");
        list.Element("total")!.Value.ShouldBe("2");
        list.Element("items")!.Elements("interest").Select(i => i.Element("name")!.Value).ShouldBe(["news", "sale"]);
        var rest = (await client.GetJsonAsync($"/v3/database/{db}/interests"))["data"]!.AsArray();
        rest.Single(i => i.Str("name") == "sale")!.Str("ID").ShouldBe(created.Element("interest")!.Element("id")!.Value);
        (await FaultAsync(client, "Database_createInterest", $"<id>{db}</id><name>SALE</name>")).ShouldContain("already exists");
        (await FaultAsync(client, "Database_createInterest", $"<id>{db}</id>")).ShouldBe("Missing parameter 'name'");
        (await FaultAsync(client, "Database_interests", "<id>999999</id>")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/database/{db}/interests"))["total"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Database_collections_and_createCollection_list_and_add_collections_as_rest_sees_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");

        var created = await CallAsync(client, "Database_createCollection", $"<id>{db}</id><name>Children</name>");
        await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var list = await CallAsync(client, "Database_collections", $"<id>{db}</id><allproperties>1</allproperties>");

        var id = created.Element("collection")!.Element("id")!.Value;
        created.Element("collection")!.Element("database")!.Value.ShouldBe(db.S());
        (await client.GetJsonAsync($"/v3/collection/{id}")).Str("name").ShouldBe("Children");
        list.Element("total")!.Value.ShouldBe("2");
        list.Element("items")!.Elements("collection").Select(c => c.Element("name")!.Value).ShouldBe(["Children", "Orders"]);
        (await FaultAsync(client, "Database_createCollection", $"<id>{db}</id><name>children</name>")).ShouldContain("already exists");
        (await FaultAsync(client, "Database_createCollection", $"<id>{db}</id>")).ShouldBe("Missing parameter 'name'");
        (await FaultAsync(client, "Database_collections", "<id>999999</id>")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/database/{db}/collections"))["total"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Database_updateProfiles_changes_the_matching_profiles_journals_them_as_soap_and_lists_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("city", "text"), ("vip", "text"));
        var a = await client.CreateProfileAsync(db, new { email = "a@b.nl", city = "Delft" });
        var b = await client.CreateProfileAsync(db, new { email = "b@b.nl", city = "Delft" });
        var c = await client.CreateProfileAsync(db, new { email = "c@b.nl", city = "Leiden" });

        var answer = await CallAsync(client, "Database_updateProfiles",
            $"<id>{db}</id>{Requirement("city", "Delft")}{Map("fields", ("vip", "yes"))}<start>1</start><length>5</length><allproperties>1</allproperties>");

        answer.Element("total")!.Value.ShouldBe("2");
        answer.Element("start")!.Value.ShouldBe("1");
        var item = answer.Element("items")!.Elements("profile").Single();
        item.Element("id")!.Value.ShouldBe(b.S());
        item.Element("fields")!.Elements("pair").Single(p => p.Element("key")!.Value == "vip").Element("value")!.Value.ShouldBe("yes");
        (await client.GetJsonAsync($"/v3/profile/{a}"))["fields"]!["vip"]!.ToString().ShouldBe("yes");
        (await client.GetJsonAsync($"/v3/profile/{c}"))["fields"]!["vip"]!.ToString().ShouldBe("");
        var updates = (await app.JournalAsync(client.AccountId)).Where(r => r.Payload["action"]?.ToString() == "update").ToList();
        updates.Select(r => r.Payload["profile"]!.GetValue<long>()).ShouldBe([a, b]);
        updates.ShouldAllBe(r => r.Payload["source"]!.ToString() == "soap");

        var created = await CallAsync(client, "Database_updateProfiles",
            $"<id>{db}</id>{Requirement("email", "new@b.nl")}{Map("fields", ("email", "new@b.nl"))}<create>1</create>");
        created.Element("total")!.Value.ShouldBe("1");
        var newId = created.Element("items")!.Element("profile")!.Element("id")!.Value;
        (await client.GetJsonAsync($"/v3/profile/{newId}"))["fields"]!["email"]!.ToString().ShouldBe("new@b.nl");

        (await FaultAsync(client, "Database_updateProfiles", $"<id>{db}</id>{Map("fields", ("vip", "no"))}")).ShouldBe("Missing parameter 'requirements'");
        (await FaultAsync(client, "Database_updateProfiles", $"<id>{db}</id>{Requirement("city", "Delft")}")).ShouldBe("Missing parameter 'fields'");
        (await FaultAsync(client, "Database_updateProfiles", $"<id>999999</id>{Requirement("city", "Delft")}{Map("fields", ("vip", "no"))}")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/profile/{a}"))["fields"]!["vip"]!.ToString().ShouldBe("yes", "refused updates change nothing");
    }

    [Fact]
    public async Task Database_removeProfiles_removes_the_matching_profiles_as_rest_sees_it()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("city", "text"));
        var a = await client.CreateProfileAsync(db, new { email = "a@b.nl", city = "Delft" });
        var b = await client.CreateProfileAsync(db, new { email = "b@b.nl", city = "Delft" });
        var c = await client.CreateProfileAsync(db, new { email = "c@b.nl", city = "Leiden" });

        (await CallAsync(client, "Database_removeProfiles", $"<id>{db}</id>{Requirement("city", "Delft")}")).Element("value")!.Value.ShouldBe("1");

        (await client.GetJsonAsync($"/v3/database/{db}/profiles"))["total"]!.GetValue<int>().ShouldBe(1);
        (await client.GetJsonAsync($"/v3/profile/{a}"))["removed"]!.ToString().ShouldNotBe("false");
        (await client.GetJsonAsync($"/v3/profile/{c}"))["removed"]!.ToString().ShouldBe("false");
        var deletes = (await app.JournalAsync(client.AccountId)).Where(r => r.Type == "profile.delete").ToList();
        deletes.Select(r => r.Payload["profile"]!.GetValue<long>()).Order().ShouldBe([a, b]);
        deletes.ShouldAllBe(r => r.Payload["source"]!.ToString() == "soap");
        (await CallAsync(client, "Database_removeProfiles", $"<id>{db}</id>{Requirement("city", "Delft")}")).Element("value")!.Value.ShouldBe("1", "nothing left to match");

        (await FaultAsync(client, "Database_removeProfiles", $"<id>{db}</id>")).ShouldBe("Missing parameter 'requirements'");
        (await FaultAsync(client, "Database_removeProfiles", $"<id>999999</id>{Requirement("city", "Leiden")}")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/database/{db}/profiles"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Database_unsubscribe_values_are_set_and_read_as_rests_unsubscribe_behaviour()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("newsletter", "text"));

        (await CallAsync(client, "Database_setUnsubscribeValues", $"<id>{db}</id>{Map("fields", ("newsletter", "no"))}")).Element("value")!.Value.ShouldBe("1");
        var values = await CallAsync(client, "Database_unsubscribeValues", $"<id>{db}</id>");

        var pair = values.Element("map")!.Elements("pair").Single();
        pair.Element("key")!.Value.ShouldBe("newsletter");
        pair.Element("value")!.Value.ShouldBe("no");
        var rest = await client.GetJsonAsync($"/v3/database/{db}/unsubscribe");
        rest.Str("behavior").ShouldBe("update", "values given without a behaviour are meant to be used");
        rest["fields"]!["newsletter"]!.ToString().ShouldBe("no");

        (await CallAsync(client, "Database_setUnsubscribeValues", $"<id>{db}</id><behavior>remove</behavior>")).Element("value")!.Value.ShouldBe("1");
        (await client.GetJsonAsync($"/v3/database/{db}/unsubscribe")).Str("behavior").ShouldBe("remove");
        (await FaultAsync(client, "Database_setUnsubscribeValues", $"<id>{db}</id><behavior>explode</behavior>{Map("fields", ("newsletter", "x"))}")).ShouldContain("Invalid behavior");
        (await FaultAsync(client, "Database_setUnsubscribeValues", $"<id>{db}</id>")).ShouldBe("Missing parameter 'fields'");
        (await FaultAsync(client, "Database_unsubscribeValues", "<id>999999</id>")).ShouldBe("No database with supplied ID");
        (await client.GetJsonAsync($"/v3/database/{db}/unsubscribe")).Str("behavior").ShouldBe("remove", "refused calls change nothing");
    }
}
