using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// The <c>SubProfile_*</c> methods through the test server: what they answer, what REST sees of each change, that each
/// change is journaled as REST's (source <c>soap</c>), Faults, and nothing changed by a refused call.
/// </summary>
public sealed class SoapSubProfileMethodTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private readonly SoapInProcess _soap = new(app);

    /// <summary>A collection "Children" (fields name, age) with one subprofile Anna, 7.</summary>
    private static async Task<(long Profile, long Collection, long Subprofile)> AnnaAsync(ApiClient client)
    {
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Children" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "name", type = "text" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "age", type = "integer" });
        var profile = await client.CreateProfileAsync(db, new { email = "ed@emmer.nl" });
        var sub = await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { name = "Anna", age = 7 });
        return (profile, collection, sub);
    }

    private async Task<IReadOnlyList<JournalRecord>> EventsAsync(ApiClient client, string type) =>
        (await app.JournalAsync(client.AccountId)).Where(r => r.Type == type).ToList();

    [Fact]
    public async Task SubProfile_retrieve_answers_the_subprofile_as_rest_shows_it()
    {
        var client = await app.NewAccountAsync();
        var (profile, _, sub) = await AnnaAsync(client);
        var rest = await client.GetJsonAsync($"/v3/subprofile/{sub}");

        var found = (await _soap.CallAsync(client, "SubProfile_retrieve", $"<id>{sub}</id>")).Element("subprofile")!;

        found.Element("id")!.Value.ShouldBe(sub.S());
        found.Element("profile")!.Value.ShouldBe(profile.S());
        found.Element("code")!.Value.ShouldBe(rest.Str("secret"));
        found.Element("modified")!.Value.ShouldBe(rest.Str("modified"));
        found.Element("fields")!.Elements("pair").Select(p => (p.Element("key")!.Value, p.Element("value")!.Value)).ShouldBe([("name", "Anna"), ("age", "7")]);
        (await _soap.FaultAsync(client, "SubProfile_retrieve", "<id>999999</id>")).ShouldBe("No subprofile with supplied ID");
        (await _soap.FaultAsync(client, "SubProfile_retrieve")).ShouldBe("Missing parameter 'id'");
        (await _soap.FaultAsync(await app.NewAccountAsync("Other"), "SubProfile_retrieve", $"<id>{sub}</id>")).ShouldBe("No subprofile with supplied ID");
    }

    [Fact]
    public async Task SubProfile_fields_answers_the_field_values_as_a_map()
    {
        var client = await app.NewAccountAsync();
        var (_, _, sub) = await AnnaAsync(client);

        var map = (await _soap.CallAsync(client, "SubProfile_fields", $"<id>{sub}</id>")).Element("map")!;

        map.Elements("pair").Select(p => (p.Element("key")!.Value, p.Element("value")!.Value)).ShouldBe([("name", "Anna"), ("age", "7")]);
        (await _soap.FaultAsync(client, "SubProfile_fields", "<id>abc</id>")).ShouldBe("No subprofile with supplied ID");
    }

    [Fact]
    public async Task SubProfile_updateFields_changes_what_rest_sees_and_is_journaled_as_rests_update()
    {
        var client = await app.NewAccountAsync();
        var (_, collection, sub) = await AnnaAsync(client);

        var answer = await _soap.CallAsync(client, "SubProfile_updateFields",
            $"<id>{sub}</id><timestamp>2026-01-01 00:00:00</timestamp><fields><pair><key>age</key><value>8</value></pair></fields><caller><followups>0</followups></caller>");

        answer.Element("value")!.Value.ShouldBe("1");
        var rest = await client.GetJsonAsync($"/v3/subprofile/{sub}");
        rest["fields"]!["age"]!.GetValue<string>().ShouldBe("8");
        rest["fields"]!["name"]!.GetValue<string>().ShouldBe("Anna");
        var update = (await EventsAsync(client, "subprofile.update")).Single();
        update.Payload["source"]!.GetValue<string>().ShouldBe("soap");
        update.Payload["subprofile"]!.GetValue<long>().ShouldBe(sub);
        update.Payload["collection"]!.GetValue<long>().ShouldBe(collection);
        update.Payload["parameters"]!["age"]!.ToString().ShouldBe("8");

        (await _soap.FaultAsync(client, "SubProfile_updateFields", $"<id>{sub}</id>")).ShouldBe("Missing parameter 'fields'");
        (await _soap.FaultAsync(client, "SubProfile_updateFields", "<id>999999</id><fields><pair><key>age</key><value>9</value></pair></fields>")).ShouldBe("No subprofile with supplied ID");
        (await _soap.FaultAsync(client, "SubProfile_updateFields", $"<id>{sub}</id><fields><pair><value>9</value></pair></fields>")).ShouldBe("A pair of 'fields' has no key");
        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["fields"]!["age"]!.GetValue<string>().ShouldBe("8");
        (await EventsAsync(client, "subprofile.update")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task SubProfile_update_sets_the_code_rest_calls_secret_and_answers_the_subprofile()
    {
        var client = await app.NewAccountAsync();
        var (_, _, sub) = await AnnaAsync(client);

        var answer = (await _soap.CallAsync(client, "SubProfile_update", $"<id>{sub}</id><code>my-code-1</code>")).Element("subprofile")!;

        answer.Element("code")!.Value.ShouldBe("my-code-1");
        answer.Element("id")!.Value.ShouldBe(sub.S());
        (await client.GetJsonAsync($"/v3/subprofile/{sub}")).Str("secret").ShouldBe("my-code-1");
        var update = (await EventsAsync(client, "subprofile.update")).Single();
        update.Payload["source"]!.GetValue<string>().ShouldBe("soap");
        update.Payload["parameters"]!["secret"]!.GetValue<string>().ShouldBe("my-code-1");

        (await _soap.FaultAsync(client, "SubProfile_update", $"<id>{sub}</id>")).ShouldBe("Missing parameter 'code'");
        (await _soap.FaultAsync(client, "SubProfile_update", "<id>999999</id><code>x</code>")).ShouldBe("No subprofile with supplied ID");
        (await client.GetJsonAsync($"/v3/subprofile/{sub}")).Str("secret").ShouldBe("my-code-1");
    }

    [Fact]
    public async Task SubProfile_remove_removes_it_as_rest_does_and_a_second_remove_or_change_is_a_fault()
    {
        var client = await app.NewAccountAsync();
        var (profile, collection, sub) = await AnnaAsync(client);
        var kept = await client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { name = "Bob", age = 9 });

        (await _soap.CallAsync(client, "SubProfile_remove", $"<id>{sub}</id>")).Element("value")!.Value.ShouldBe("1");

        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["removed"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles")).DataIds().ShouldBe([kept.S()]);
        var delete = (await EventsAsync(client, "subprofile.delete")).Single();
        delete.Payload["source"]!.GetValue<string>().ShouldBe("soap");
        delete.Payload["subprofile"]!.GetValue<long>().ShouldBe(sub);

        (await _soap.FaultAsync(client, "SubProfile_remove", $"<id>{sub}</id>")).ShouldBe("This subprofile has already been removed");
        (await _soap.FaultAsync(client, "SubProfile_updateFields", $"<id>{sub}</id><fields><pair><key>age</key><value>9</value></pair></fields>"))
            .ShouldBe("This subprofile has already been removed");
        (await _soap.FaultAsync(client, "SubProfile_update", $"<id>{sub}</id><code>x</code>")).ShouldBe("This subprofile has already been removed");
        (await _soap.FaultAsync(client, "SubProfile_remove", "<id>999999</id>")).ShouldBe("No subprofile with supplied ID");
        (await EventsAsync(client, "subprofile.delete")).Count.ShouldBe(1);
        (await EventsAsync(client, "subprofile.update")).Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_read_only_token_cannot_change_a_subprofile()
    {
        var client = await app.NewAccountAsync();
        var (_, _, sub) = await AnnaAsync(client);
        var reader = await app.NewTokenAsync(client, canWrite: false);

        (await _soap.CallAsync(reader, "SubProfile_retrieve", $"<id>{sub}</id>")).Element("subprofile").ShouldNotBeNull();
        (await _soap.FaultAsync(reader, "SubProfile_remove", $"<id>{sub}</id>")).ShouldContain("no write access");
        (await _soap.FaultAsync(reader, "Collection_remove", "<id>1</id>")).ShouldContain("no write access");
        (await client.GetJsonAsync($"/v3/subprofile/{sub}"))["removed"]!.GetValue<bool>().ShouldBeFalse();
    }
}
