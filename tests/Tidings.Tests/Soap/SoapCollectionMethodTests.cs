using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>The <c>Collection_*</c> methods through the test server: what they answer, what REST sees of each change, Faults.</summary>
public sealed class SoapCollectionMethodTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private readonly SoapInProcess _soap = new(app);

    /// <summary>A database with an email field, a collection "Children" with fields name and age, and one profile.</summary>
    private static async Task<(long Database, long Collection, long Profile)> ShopAsync(ApiClient client)
    {
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Children" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "name", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "age", type = "integer" });
        var profile = await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });
        return (db, collection, profile);
    }

    private static Task<long> SubprofileAsync(ApiClient client, long profile, long collection, string name, int age) =>
        client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { name, age });

    [Fact]
    public async Task Collection_retrieve_answers_the_collection_rest_created_and_faults_for_an_unknown_or_missing_id()
    {
        var client = await app.NewAccountAsync();
        var (db, collection, _) = await ShopAsync(client);

        var found = (await _soap.CallAsync(client, "Collection_retrieve", $"<id>{collection}</id>")).Element("collection")!;

        found.Element("id")!.Value.ShouldBe(collection.S());
        found.Element("name")!.Value.ShouldBe("Children");
        found.Element("database")!.Value.ShouldBe(db.S());
        (await _soap.FaultAsync(client, "Collection_retrieve", "<id>999999</id>")).ShouldBe("No collection with given ID");
        (await _soap.FaultAsync(client, "Collection_retrieve")).ShouldBe("Missing parameter 'id'");
        var other = await app.NewAccountAsync("Other");
        (await _soap.FaultAsync(other, "Collection_retrieve", $"<id>{collection}</id>")).ShouldBe("No collection with given ID");
    }

    [Fact]
    public async Task Collection_fields_lists_the_collections_fields_in_order()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, _) = await ShopAsync(client);

        var fields = await _soap.CallAsync(client, "Collection_fields", $"<id>{collection}</id>");

        fields.Element("total")!.Value.ShouldBe("2");
        fields.Element("items")!.Elements("collectionfield").Select(f => (f.Element("name")!.Value, f.Element("type")!.Value)).ShouldBe([("name", "text"), ("age", "integer")]);
        (await _soap.FaultAsync(client, "Collection_fields", "<id>999999</id>")).ShouldBe("No collection with given ID");
    }

    [Fact]
    public async Task Collection_field_finds_a_field_by_name_or_id_and_answers_empty_when_there_is_none()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, _) = await ShopAsync(client);

        var byName = (await _soap.CallAsync(client, "Collection_field", $"<id>{collection}</id><identifier>AGE</identifier>")).Element("collectionfield")!;
        byName.Element("name")!.Value.ShouldBe("age");
        var byId = (await _soap.CallAsync(client, "Collection_field", $"<id>{collection}</id><identifier>{byName.Element("id")!.Value}</identifier>")).Element("collectionfield")!;
        byId.Element("type")!.Value.ShouldBe("integer");

        (await _soap.CallAsync(client, "Collection_field", $"<id>{collection}</id><identifier>nothing</identifier>")).HasElements.ShouldBeFalse();
        (await _soap.FaultAsync(client, "Collection_field", $"<id>{collection}</id>")).ShouldBe("Missing parameter 'identifier'");
        (await _soap.FaultAsync(client, "Collection_field", "<id>999999</id><identifier>age</identifier>")).ShouldBe("No collection with given ID");
    }

    [Fact]
    public async Task Collection_createField_adds_the_field_rest_sees_and_refuses_a_duplicate_without_adding_anything()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, _) = await ShopAsync(client);

        var created = (await _soap.CallAsync(client, "Collection_createField",
            $"<id>{collection}</id><name>Nickname</name><display>1</display><length>50</length>")).Element("collectionfield")!;
        var email = (await _soap.CallAsync(client, "Collection_createField",
            $"<id>{collection}</id><name>Mail</name><specialcontent>email</specialcontent>")).Element("collectionfield")!;

        created.Element("display")!.Value.ShouldBe("1");
        email.Element("type")!.Value.ShouldBe("email");
        var rest = (await client.GetJsonAsync($"/v3/collection/{collection}/fields"))["data"]!.AsArray();
        var nickname = rest.Single(f => f!["name"]!.GetValue<string>() == "Nickname")!;
        nickname["ID"]!.GetValue<string>().ShouldBe(created.Element("id")!.Value);
        nickname["displayed"]!.GetValue<bool>().ShouldBeTrue();
        nickname["length"]!.GetValue<string>().ShouldBe("50");
        nickname["type"]!.GetValue<string>().ShouldBe("text");

        (await _soap.FaultAsync(client, "Collection_createField", $"<id>{collection}</id><name>nickname</name>")).ShouldContain("already exists");
        (await _soap.FaultAsync(client, "Collection_createField", $"<id>{collection}</id><name>Bad</name><type>nonsense</type>")).ShouldContain("Invalid field type");
        (await _soap.FaultAsync(client, "Collection_createField", $"<id>{collection}</id>")).ShouldBe("Missing parameter 'name'");
        (await _soap.FaultAsync(client, "Collection_createField", "<id>999999</id><name>X</name>")).ShouldBe("No collection with given ID");
        (await client.GetJsonAsync($"/v3/collection/{collection}/fields"))["total"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Collection_remove_takes_the_fields_and_subprofiles_with_it_leaves_the_rest_and_is_audited_not_journaled_per_subprofile()
    {
        var client = await app.NewAccountAsync();
        var (db, collection, profile) = await ShopAsync(client);
        var sub = await SubprofileAsync(client, profile, collection, "Anna", 7);
        await SubprofileAsync(client, profile, collection, "Bob", 9);
        var kept = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Pets" });
        var pet = await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{kept}", new { });
        var journalBefore = (await app.JournalAsync(client.AccountId)).Count;

        (await _soap.CallAsync(client, "Collection_remove", $"<id>{collection}</id>")).Element("value")!.Value.ShouldBe("1");

        (await client.GetAsync($"/v3/collection/{collection}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await client.GetAsync($"/v3/subprofile/{sub}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await client.GetJsonAsync($"/v3/database/{db}/collections"))["data"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["Pets"]);
        (await client.GetJsonAsync($"/v3/subprofile/{pet}"))["profile"]!.GetValue<string>().ShouldBe(profile.S());
        (await client.GetJsonAsync($"/v3/profile/{profile}"))["fields"]!["email"]!.GetValue<string>().ShouldBe("ed@emmer.nl");
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM fields WHERE collection_id = @collection", new { collection })).ShouldBe(0);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM subprofiles WHERE collection_id = @collection", new { collection })).ShouldBe(0);
        var table = $"collection_{collection}_subprofiles";
        (await app.ScalarAsync<long>(app.OnPostgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table })).ShouldBe(0);
        (await app.JournalAsync(client.AccountId)).Count.ShouldBe(journalBefore);
        var audit = (await client.GetJsonAsync("/v3/audit?type=collection"))["data"]!.AsArray().Single()!;
        audit["action"]!.GetValue<string>().ShouldBe("deleted");
        audit["targetId"]!.GetValue<string>().ShouldBe(collection.S());
        audit["detail"]!.GetValue<string>().ShouldContain("2 subprofiles");
        audit["actorKind"]!.GetValue<string>().ShouldBe("token");

        (await _soap.FaultAsync(client, "Collection_remove", $"<id>{collection}</id>")).ShouldBe("No collection with given ID");
        (await _soap.FaultAsync(client, "Collection_remove")).ShouldBe("Missing parameter 'id'");
    }

    [Fact]
    public async Task Collection_remove_is_refused_naming_the_webhooks_scoped_to_the_collection_and_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var (db, collection, profile) = await ShopAsync(client);
        var sub = await SubprofileAsync(client, profile, collection, "Anna", 7);
        var hook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "update", database = db, collection });
        await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/db", trigger = "update", database = db });

        var fault = await _soap.FaultAsync(client, "Collection_remove", $"<id>{collection}</id>");

        fault.ShouldBe($"Collection {collection} cannot be removed: webhook {hook} is scoped to it; remove it or change its collection first");
        (await client.GetJsonAsync($"/v3/collection/{collection}"))["fields"]!["total"]!.GetValue<int>().ShouldBe(2);
        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["fields"]!["name"]!.GetValue<string>().ShouldBe("Anna");
        (await client.GetJsonAsync("/v3/audit?type=collection"))["total"]!.GetValue<int>().ShouldBe(0);

        (await client.DeleteAsync($"/v3/webhook/{hook}")).IsSuccessStatusCode.ShouldBeTrue();
        (await _soap.CallAsync(client, "Collection_remove", $"<id>{collection}</id>")).Element("value")!.Value.ShouldBe("1");
    }

    [Fact]
    public async Task An_open_of_a_mailing_to_a_removed_collection_is_still_recorded_without_the_subprofiles_fields()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, profile) = await ShopAsync(client);
        var sub = await SubprofileAsync(client, profile, collection, "Anna", 7);
        var mailing = await client.CreateAsync("/v3/ms/emailing", new
        {
            target = collection, targettype = "collection", template = 12, subject = "Children", senderdomain = "mail.shop.example",
            from_address = new { name = "Shop", email = "news@shop.example" },
        });
        await MailingScenario.WaitUntilPreparedAsync(client, mailing);
        var destination = (await client.GetJsonAsync($"/v3/ms/emailing/{mailing}/destinations"))["data"]!.AsArray().Single()!;
        var openUrl = new Uri(destination["tracking"]!["open"]!.GetValue<string>()).PathAndQuery;
        (await _soap.CallAsync(client, "Collection_remove", $"<id>{collection}</id>")).Element("value")!.Value.ShouldBe("1");

        (await client.Http.GetAsync(openUrl, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        var open = (await app.JournalAsync(client.AccountId)).Single(r => r.Type == "open").Payload;
        open["subprofile"]!.GetValue<long>().ShouldBe(sub);
        open["fields"]!["email"]!.GetValue<string>().ShouldBe("ed@emmer.nl");
        open["subprofilefields"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Collection_searchSubProfiles_finds_what_rests_collection_search_finds_a_page_at_a_time()
    {
        var client = await app.NewAccountAsync();
        var (db, collection, profile) = await ShopAsync(client);
        var other = await client.CreateProfileAsync(db, new { email = "other@emmer.nl" });
        var anna = await SubprofileAsync(client, profile, collection, "Anna", 7);
        var bob = await SubprofileAsync(client, other, collection, "Bob", 9);
        var cleo = await SubprofileAsync(client, profile, collection, "Cleo", 12);

        var older = await _soap.CallAsync(client, "Collection_searchSubProfiles",
            $"<id>{collection}</id><requirements><fieldname>age</fieldname><operator>&gt;</operator><value>8</value></requirements><allproperties>1</allproperties>");
        var rest = await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles?fields[]=age%3E8");

        older.Element("total")!.Value.ShouldBe("2");
        older.Element("items")!.Elements("subprofile").Select(s => s.Element("id")!.Value).ShouldBe(rest.DataIds());
        older.Element("items")!.Elements("subprofile").Select(s => s.Element("id")!.Value).ShouldBe([bob.S(), cleo.S()]);
        var first = older.Element("items")!.Elements("subprofile").First();
        first.Element("profile")!.Value.ShouldBe(other.S());
        first.Element("fields")!.Elements("pair").Select(p => (p.Element("key")!.Value, p.Element("value")!.Value)).ShouldBe([("name", "Bob"), ("age", "9")]);

        var page = await _soap.CallAsync(client, "Collection_searchSubProfiles",
            $"<id>{collection}</id><order>age</order><asc>0</asc><start>1</start><length>1</length>");
        page.Element("total")!.Value.ShouldBe("3");
        page.Element("start")!.Value.ShouldBe("1");
        var item = page.Element("items")!.Elements("subprofile").Single();
        item.Element("id")!.Value.ShouldBe(bob.S());
        item.Element("fields").ShouldBeNull();
        (await _soap.CallAsync(client, "Collection_searchSubProfiles", $"<id>{collection}</id><order>age</order><asc>1</asc><length>1</length>"))
            .Element("items")!.Element("subprofile")!.Element("id")!.Value.ShouldBe(anna.S());

        (await _soap.FaultAsync(client, "Collection_searchSubProfiles", "<id>999999</id>")).ShouldBe("No collection with given ID");
        (await _soap.FaultAsync(client, "Collection_searchSubProfiles",
            $"<id>{collection}</id><requirements><fieldname>age</fieldname><operator>~~</operator><value>1</value></requirements>")).ShouldStartWith("Unknown operator");
    }

    [Fact]
    public async Task Collection_removeSubProfiles_removes_the_matching_ones_journaled_as_rest_removes_them_and_nothing_without_requirements()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, profile) = await ShopAsync(client);
        var anna = await SubprofileAsync(client, profile, collection, "Anna", 7);
        var bob = await SubprofileAsync(client, profile, collection, "Bob", 9);
        var cleo = await SubprofileAsync(client, profile, collection, "Cleo", 12);

        (await _soap.FaultAsync(client, "Collection_removeSubProfiles", $"<id>{collection}</id>")).ShouldBe("Missing parameter 'requirements'");
        (await _soap.FaultAsync(client, "Collection_removeSubProfiles",
            $"<id>{collection}</id><requirements><fieldname>agee</fieldname><value>7</value></requirements>")).ShouldBe("Unknown field 'agee' in the requirements: nothing was removed");
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles"))["total"]!.GetValue<int>().ShouldBe(3);

        var removed = await _soap.CallAsync(client, "Collection_removeSubProfiles",
            $"<id>{collection}</id><requirements><fieldname>age</fieldname><operator>&gt;=</operator><value>9</value></requirements>");

        removed.Element("value")!.Value.ShouldBe("1");
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles")).DataIds().ShouldBe([anna.S()]);
        (await client.GetJsonAsync($"/v3/subprofile/{bob}"))["removed"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        var deletes = (await app.JournalAsync(client.AccountId)).Where(r => r.Type == "subprofile.delete").ToList();
        deletes.Select(r => r.Payload["subprofile"]!.GetValue<long>()).ShouldBe([bob, cleo]);
        deletes.ShouldAllBe(r => r.Payload["source"]!.GetValue<string>() == "soap");
        (await _soap.FaultAsync(client, "Collection_removeSubProfiles", "<id>999999</id><requirements/>")).ShouldBe("No collection with given ID");
    }
}
