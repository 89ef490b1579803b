using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Profiles: create, read, update (fields, secret), delete (tombstone), and profile/{id}/fields.</summary>
public sealed class ProfileTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db)> DatabaseAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"), ("age", "integer"));
        return (client, db);
    }

    [Fact]
    public async Task Create_ignores_unknown_fields_matches_names_case_insensitively_and_later_duplicates_win()
    {
        var (client, db) = await DatabaseAsync();
        var response = await client.SendAsync(HttpMethod.Post, $"/v3/database/{db}/profiles",
            "{\"fields\":{\"EMAIL\":\"a@b.nl\",\"name\":\"first\",\"Name\":\"second\",\"unknown\":\"x\"},\"secret\":\"mine\",\"bogus\":1}");
        await response.ShouldHaveStatusAsync(201);
        var profile = await client.GetJsonAsync($"/v3/profile/{response.Header("X-Created")}");
        profile["fields"]!.AsObject().Select(p => p.Key).ShouldBe(["email", "name", "age"]);
        profile["fields"].Str("email").ShouldBe("a@b.nl");
        profile["fields"].Str("name").ShouldBe("second");
        profile["fields"].Str("age").ShouldBe("0");
        profile.Str("secret").ShouldNotBe("mine");
    }

    [Fact]
    public async Task Update_changes_only_the_given_fields()
    {
        var (client, db) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl", name = "Ann", age = 20 });
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { age = "21" } })).ShouldHaveStatusAsync(204);
        var fields = await client.GetJsonAsync($"/v3/profile/{pid}/fields");
        fields.Str("email").ShouldBe("a@b.nl");
        fields.Str("name").ShouldBe("Ann");
        fields.Str("age").ShouldBe("21");
    }

    [Fact]
    public async Task Update_with_non_object_fields_is_ignored_not_an_error()
    {
        var (client, db) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        await (await client.SendAsync(HttpMethod.Put, $"/v3/profile/{pid}", "{\"fields\":\"name=Bob\"}")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).Str("name").ShouldBe("Ann");
    }

    [Fact]
    public async Task Secret_can_be_changed_without_bumping_modified_and_unchanged_values_keep_modified()
    {
        var (client, db) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        var before = await client.GetJsonAsync($"/v3/profile/{pid}");
        // modified has whole seconds: from the next one on, a wrongly bumped modified would show.
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() == second) await Task.Delay(10, TestContext.Current.CancellationToken);
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "Ann" } })).ShouldHaveStatusAsync(204);
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { secret = "newsecret" })).ShouldHaveStatusAsync(204);
        var after = await client.GetJsonAsync($"/v3/profile/{pid}");
        after.Str("secret").ShouldBe("newsecret");
        after.Str("modified").ShouldBe(before.Str("modified"));

        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "Bob" } })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}")).Str("modified").ShouldNotBe(before.Str("modified"));
    }

    [Fact]
    public async Task Profile_fields_endpoint_reads_and_writes_a_flat_object()
    {
        var (client, db) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl" });
        await (await client.PutJsonAsync($"/v3/profile/{pid}/fields", new { NAME = "Zoe", age = "33x", nope = 1 })).ShouldHaveStatusAsync(204);
        var fields = (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).AsObject();
        fields.ToJsonString().ShouldBe("{\"email\":\"a@b.nl\",\"name\":\"Zoe\",\"age\":\"33\"}");
    }

    [Fact]
    public async Task Delete_leaves_a_tombstone_with_empty_fields_and_removes_subprofiles()
    {
        var (client, db) = await DatabaseAsync();
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "sku", type = "text" });
        var pid = await client.CreateProfileAsync(db, new { email = "a@b.nl", name = "Ann", age = 3 });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { sku = "X" });

        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);

        var profile = await client.GetJsonAsync($"/v3/profile/{pid}");
        profile["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        profile["fields"]!.AsObject().All(f => f.Value!.GetValue<string>() == "").ShouldBeTrue();
        (await client.GetJsonAsync($"/v3/database/{db}/profiles"))["total"]!.GetValue<long>().ShouldBe(0);

        var sub = await client.GetJsonAsync($"/v3/subprofile/{sid}");
        sub["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        sub["fields"].Str("sku").ShouldBe("");
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofiles"))["total"]!.GetValue<long>().ShouldBe(0);
        (await client.GetJsonAsync($"/v3/collection/{collection}/subprofileids")).AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Subprofiles_cannot_be_added_to_a_removed_profile()
    {
        var (client, db) = await DatabaseAsync();
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var pid = await client.CreateProfileAsync(db, new { });
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);
        await (await client.PostJsonAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { })).ShouldBeCopernicaErrorAsync("Subprofile could not be created");
    }

    [Fact]
    public async Task Updating_a_removed_profile_is_accepted_but_changes_nothing()
    {
        var (client, db) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        await (await client.DeleteAsync($"/v3/profile/{pid}")).ShouldHaveStatusAsync(204);
        var journal = (await app.JournalAsync(client.AccountId)).Count;
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { fields = new { name = "Zombie" } })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/profile/{pid}/fields")).Str("name").ShouldBe("");
        (await app.JournalAsync(client.AccountId)).Count.ShouldBe(journal);
    }
}
