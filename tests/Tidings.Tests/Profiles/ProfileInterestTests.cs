using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>Interests of a profile: as a map or list on create/update, and profile/{id}/interests GET/POST/PUT.</summary>
public sealed class ProfileInterestTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Db, long Golf, long Tennis, long Chess)> DatabaseAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var golf = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "golf", group = "sport" });
        var tennis = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "tennis", group = "sport" });
        var chess = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "chess", group = "games" });
        return (client, db, golf, tennis, chess);
    }

    private static async Task<List<string>> NamesAsync(ApiClient client, long pid) =>
        (await client.GetJsonAsync($"/v3/profile/{pid}/interests")).AsArray().Select(i => i!.GetValue<string>()).ToList();

    [Fact]
    public async Task Create_takes_interests_as_a_list_or_a_map_case_insensitively_ignoring_unknown_names()
    {
        var (client, db, _, _, _) = await DatabaseAsync();
        var fromList = await client.CreateProfileAsync(db, new { }, new[] { "GOLF", "chess", "unknown" });
        (await NamesAsync(client, fromList)).ShouldBe(["golf", "chess"]);
        var fromMap = await client.CreateProfileAsync(db, new { }, new Dictionary<string, int> { ["tennis"] = 1, ["golf"] = 0 });
        (await NamesAsync(client, fromMap)).ShouldBe(["tennis"]);
        (await client.GetJsonAsync($"/v3/profile/{fromMap}"))["interests"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe(["tennis"]);
    }

    [Fact]
    public async Task Put_profile_with_an_interest_map_sets_and_unsets_only_the_named_interests()
    {
        var (client, db, _, _, _) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf", "chess" });
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { interests = new Dictionary<string, int> { ["golf"] = 0, ["tennis"] = 1 } })).ShouldHaveStatusAsync(204);
        (await NamesAsync(client, pid)).ShouldBe(["tennis", "chess"]);
    }

    [Fact]
    public async Task Interests_endpoint_returns_names_ids_or_objects()
    {
        var (client, db, golf, _, chess) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf", "chess" });
        (await NamesAsync(client, pid)).ShouldBe(["golf", "chess"]);
        (await client.GetJsonAsync($"/v3/profile/{pid}/interests?return=ids")).AsArray().Select(i => i!.GetValue<string>()).ShouldBe([golf.S(), chess.S()]);
        var objects = (await client.GetJsonAsync($"/v3/profile/{pid}/interests?return=objects")).AsArray();
        objects[0]!.ToJsonString().ShouldBe($"{{\"ID\":\"{golf}\",\"name\":\"golf\",\"group\":\"sport\"}}");
        objects[1]!.Str("group").ShouldBe("games");
    }

    [Fact]
    public async Task Post_interests_adds_to_the_existing_set()
    {
        var (client, db, _, _, _) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf" });
        await (await client.PostJsonAsync($"/v3/profile/{pid}/interests", new[] { "chess" })).ShouldHaveStatusAsync(204);
        (await NamesAsync(client, pid)).ShouldBe(["golf", "chess"]);
    }

    [Fact]
    public async Task Put_interests_replaces_the_set()
    {
        var (client, db, _, _, _) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf", "chess" });
        await (await client.PutJsonAsync($"/v3/profile/{pid}/interests", new[] { "tennis" })).ShouldHaveStatusAsync(204);
        (await NamesAsync(client, pid)).ShouldBe(["tennis"]);
        await (await client.PutJsonAsync($"/v3/profile/{pid}/interests", new Dictionary<string, int> { ["golf"] = 1, ["chess"] = 0 })).ShouldHaveStatusAsync(204);
        (await NamesAsync(client, pid)).ShouldBe(["golf"]);
    }

    [Fact]
    public async Task Deleting_an_interest_removes_it_from_every_profile()
    {
        var (client, db, golf, _, _) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf", "chess" });
        await (await client.DeleteAsync($"/v3/interest/{golf}")).ShouldHaveStatusAsync(204);
        (await NamesAsync(client, pid)).ShouldBe(["chess"]);
        (await client.GetJsonAsync($"/v3/database/{db}/interests")).DataIds().ShouldNotContain(golf.S());
    }

    [Fact]
    public async Task Updating_an_interest_renames_and_regroups_it()
    {
        var (client, db, golf, _, _) = await DatabaseAsync();
        var pid = await client.CreateProfileAsync(db, new { }, new[] { "golf" });
        await (await client.PutJsonAsync($"/v3/interest/{golf}", new { name = "minigolf", group = "fun" })).ShouldHaveStatusAsync(204);
        var interest = (await client.GetJsonAsync($"/v3/database/{db}/interests"))["data"]!.AsArray().Single(i => i.Str("ID") == golf.S());
        interest.Str("name").ShouldBe("minigolf");
        interest.Str("group").ShouldBe("fun");
        (await NamesAsync(client, pid)).ShouldBe(["minigolf"]);
    }
}
