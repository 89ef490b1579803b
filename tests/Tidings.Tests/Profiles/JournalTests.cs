using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Change capture: one ordered journal record per profile/subprofile change, with old and new values.</summary>
public sealed class JournalTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static string Field(JsonNode? payload, string name) => payload!["fields"]![name]!.GetValue<string>();

    [Fact]
    public async Task Create_update_and_delete_of_a_profile_give_three_ordered_records_with_old_and_new_values()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "Bob" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "Bob" } })).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);

        var journal = await app.JournalAsync(client.AccountId);
        journal.Select(r => r.Type).ShouldBe(["profile.create", "profile.update", "profile.delete"]);
        journal.ShouldAllBe(r => r.Payload["profile"]!.GetValue<long>() == pid && r.Payload["database"]!.GetValue<long>() == db);
        Field(journal[0].Payload, "name").ShouldBe("Ann");
        Field(journal[1].Payload, "name").ShouldBe("Bob");
        Field(journal[1].Payload["old"], "name").ShouldBe("Ann");
        Field(journal[2].Payload, "name").ShouldBe("Bob");
        journal[2].Payload["removed"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Interest_changes_are_journaled_with_old_and_new_interests()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf" });
        await client.CreateAsync($"/v3/database/{db}/interests", new { name = "chess" });
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf" });
        await (await client.PutJsonAsync($"/v3/profile/{pid}/interests", new[] { "chess" })).ShouldHaveStatusAsync(204);
        var update = (await app.JournalAsync(client.AccountId)).Last();
        update.Type.ShouldBe("profile.update");
        update.Payload["interests"]!.ToJsonString().ShouldBe("[\"chess\"]");
        update.Payload["old"]!["interests"]!.ToJsonString().ShouldBe("[\"golf\"]");
    }

    [Fact]
    public async Task Bulk_update_writes_one_record_per_changed_profile_and_bulk_upsert_a_create()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("city", "text"), ("vip", "text"));
        var a = await client.CreateProfileAsync(db, new { city = "Delft" });
        var b = await client.CreateProfileAsync(db, new { city = "Delft", vip = "yes" });
        var c = await client.CreateProfileAsync(db, new { city = "Delft" });
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=city==Delft", new { fields = new { vip = "yes" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v3/database/{db}/profiles?fields[]=city==Leiden&create=true", new { fields = new { city = "Leiden" } })).ShouldHaveStatusAsync(201);

        var journal = (await app.JournalAsync(client.AccountId)).Skip(3).ToList();
        journal.Select(r => r.Type).ShouldBe(["profile.update", "profile.update", "profile.create"]);
        journal.Take(2).Select(r => r.Payload["profile"]!.GetValue<long>()).ShouldBe([a, c]);
        Field(journal[0].Payload["old"], "vip").ShouldBe("");
        Field(journal[0].Payload, "vip").ShouldBe("yes");
        Field(journal[2].Payload, "city").ShouldBe("Leiden");
        b.ShouldBeGreaterThan(a);
    }

    [Fact]
    public async Task Bulk_delete_writes_one_record_per_profile_and_a_failing_one_writes_none()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var a = await client.CreateProfileAsync(db, new { });
        var b = await client.CreateProfileAsync(db, new { });
        var before = (await app.JournalAsync(client.AccountId)).Count;

        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", $"{{\"profiles\":[{a},{b},987654321]}}")).ShouldBeCopernicaErrorAsync();
        (await app.JournalAsync(client.AccountId)).Count.ShouldBe(before);

        await (await client.SendAsync(HttpMethod.Delete, $"/v3/database/{db}/profiles", $"{{\"profiles\":[{a},{b}]}}")).ShouldHaveStatusAsync(204);
        var journal = (await app.JournalAsync(client.AccountId)).Skip(before).ToList();
        journal.Select(r => r.Type).ShouldBe(["profile.delete", "profile.delete"]);
        journal.Select(r => r.Payload["profile"]!.GetValue<long>()).ShouldBe([a, b]);
    }

    [Fact]
    public async Task Subprofile_changes_are_journaled_and_profile_delete_journals_its_subprofiles()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "qty", type = "integer" });
        var pid = await client.CreateProfileAsync(db, new { });
        var s1 = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { qty = 1 });
        var s2 = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { qty = 2 });
        await (await client.PutJsonAsync($"/v3/subprofile/{s1}/fields", new { qty = 5 })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v3/collection/{collection}/subprofiles?fields[]=qty==2", new { qty = 6 })).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v3/subprofile/{s1}")).ShouldHaveStatusAsync(204);
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);

        var journal = await app.JournalAsync(client.AccountId);
        journal.Select(r => r.Type).ShouldBe([
            "profile.create", "subprofile.create", "subprofile.create", "subprofile.update", "subprofile.update",
            "subprofile.delete", "subprofile.delete", "profile.delete"]);
        Field(journal[3].Payload["old"], "qty").ShouldBe("1");
        Field(journal[3].Payload, "qty").ShouldBe("5");
        journal[4].Payload["subprofile"]!.GetValue<long>().ShouldBe(s2);
        Field(journal[4].Payload, "qty").ShouldBe("6");
        journal[6].Payload["subprofile"]!.GetValue<long>().ShouldBe(s2);
        journal[6].Payload["collection"]!.GetValue<long>().ShouldBe(collection);
    }

    [Fact]
    public async Task Refused_writes_leave_no_journal_record()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        await (await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles", "{\"fields\":5}")).ShouldBeCopernicaErrorAsync();
        await (await client.SendAsync(HttpMethod.Put, $"/v3/database/{db}/profiles?fields[]=name", "{\"fields\":{\"name\":\"x\"}}")).ShouldBeCopernicaErrorAsync();
        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", "{\"fields\":{\"name\":\"x\"")).ShouldBeCopernicaErrorAsync();
        (await app.JournalAsync(client.AccountId)).Select(r => r.Type).ShouldBe(["profile.create"]);
    }

    [Fact]
    public async Task Concurrent_writes_each_get_exactly_one_record()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("n", "integer"));
        var ids = await Task.WhenAll(Enumerable.Range(0, 25).Select(n => client.CreateProfileAsync(db, new { n })));
        await Task.WhenAll(ids.Select(id => client.PutJsonAsync($"/v3/profile/{id}/fields", new { n = -1 })));
        var journal = await app.JournalAsync(client.AccountId);
        journal.Count(r => r.Type == "profile.create").ShouldBe(25);
        journal.Where(r => r.Type == "profile.create").Select(r => r.Payload["profile"]!.GetValue<long>()).Order().ShouldBe(ids.Order());
        journal.Where(r => r.Type == "profile.update").Select(r => r.Payload["profile"]!.GetValue<long>()).Order().ShouldBe(ids.Order());
        journal.Count.ShouldBe(50);
    }
}
