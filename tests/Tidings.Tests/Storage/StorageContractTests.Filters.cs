using System.Text.Json.Nodes;
using Tidings.Profiles;
using Tidings.Tests.Infrastructure;
using Tidings.Rejections;

namespace Tidings.Tests.Storage;

/// <summary><c>fields[]</c> filters go through the REST API, so the SQL that RowFilter builds runs on each provider.</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Field_filters_compare_text_case_insensitively_and_numbers_numerically()
    {
        var client = await App.NewAccountAsync(Unique("Filters"));
        var databaseId = await client.CreateDatabaseAsync(Unique("People"), ("Name", "text"), ("Age", "integer"), ("Score", "float"));
        var database = (await Get<DatabaseStore>().FindDatabaseAsync(client.AccountId, Id(databaseId), Ct))!;
        var alice = await NewProfileAsync(database, new JsonObject { ["Name"] = "Alice", ["Age"] = 30, ["Score"] = 1.5 });
        var bob = await NewProfileAsync(database, new JsonObject { ["Name"] = "bob", ["Age"] = 4, ["Score"] = 10 });
        var alicia = await NewProfileAsync(database, new JsonObject { ["Name"] = "ALICIA", ["Age"] = 100, ["Score"] = -2 });

        (await MatchAsync(client, databaseId, "name==alice")).ShouldBe([alice]);
        (await MatchAsync(client, databaseId, "Name!=ALICE")).ShouldBe([bob, alicia]);
        (await MatchAsync(client, databaseId, "name=~ali%")).ShouldBe([alice, alicia]);
        (await MatchAsync(client, databaseId, "name=~_OB")).ShouldBe([bob]);
        (await MatchAsync(client, databaseId, "name!~ali%")).ShouldBe([bob]);
        (await MatchAsync(client, databaseId, "age>5")).ShouldBe([alice, alicia], "4 < 30 numerically, although \"4\" > \"30\" as text");
        (await MatchAsync(client, databaseId, "age<=30")).ShouldBe([alice, bob]);
        (await MatchAsync(client, databaseId, "age=~1%")).ShouldBe([alicia]);
        (await MatchAsync(client, databaseId, "score>=1.5")).ShouldBe([alice, bob]);
        (await MatchAsync(client, databaseId, "score<0")).ShouldBe([alicia]);
        (await MatchAsync(client, databaseId, "name=~ali%", "age<50")).ShouldBe([alice]);
    }

    [Fact]
    public async Task Field_filters_know_id_code_and_modified_and_ignore_unknown_fields()
    {
        var client = await App.NewAccountAsync(Unique("Special"));
        var databaseId = await client.CreateDatabaseAsync(Unique("People"), ("Name", "text"));
        var database = (await Get<DatabaseStore>().FindDatabaseAsync(client.AccountId, Id(databaseId), Ct))!;
        var first = await NewProfileAsync(database, new JsonObject { ["Name"] = "One" });
        var second = await NewProfileAsync(database, new JsonObject { ["Name"] = "Two" });
        var secret = (await Get<ProfileStore>().RequireAsync(client.AccountId, Id(second), Ct)).Row.Secret;

        (await MatchAsync(client, databaseId, "id==" + first)).ShouldBe([first]);
        (await MatchAsync(client, databaseId, "id>" + first)).ShouldBe([second]);
        (await MatchAsync(client, databaseId, "code==" + secret.ToUpperInvariant())).ShouldBe([second]);
        (await MatchAsync(client, databaseId, "modified>=2000-01-01 00:00:00")).ShouldBe([first, second]);
        (await MatchAsync(client, databaseId, "modified<2000-01-01 00:00:00")).ShouldBeEmpty();
        (await MatchAsync(client, databaseId, "nosuchfield==x")).ShouldBe([first, second]);
        (await MatchAsync(client, databaseId, "nosuchfield==x", "name==two")).ShouldBe([second]);
    }

    [Fact]
    public async Task Removed_profiles_are_not_listed_and_bulk_update_uses_the_same_filters()
    {
        var client = await App.NewAccountAsync(Unique("Bulk"));
        var databaseId = await client.CreateDatabaseAsync(Unique("People"), ("Name", "text"), ("Tier", "integer"));
        var database = (await Get<DatabaseStore>().FindDatabaseAsync(client.AccountId, Id(databaseId), Ct))!;
        var ann = await NewProfileAsync(database, new JsonObject { ["Name"] = "Ann" });
        var anna = await NewProfileAsync(database, new JsonObject { ["Name"] = "ANNA" });
        var gone = await NewProfileAsync(database, new JsonObject { ["Name"] = "Annika" });
        await Get<ProfileStore>().DeleteAsync(client.AccountId, gone, "test", Ct);

        var (updated, created) = await Get<ProfileStore>().BulkUpdateAsync(
            database, [new Tidings.Rest.FieldCondition("name", "=~", "ann%")], new JsonObject { ["Tier"] = 2 }, null, create: false, "test", Ct);
        (updated, created).ShouldBe((2, (long?)null));
        (await MatchAsync(client, databaseId, "tier==2")).ShouldBe([ann, anna]);
    }

    [Fact]
    public async Task Ordering_by_a_text_field_ignores_case_and_by_a_number_field_is_numeric()
    {
        var client = await App.NewAccountAsync(Unique("Order"));
        var databaseId = await client.CreateDatabaseAsync(Unique("People"), ("Name", "text"), ("Age", "integer"));
        await client.CreateAsync($"/v3/database/{databaseId}/fields", new { name = "City", type = "text", index = true });
        var database = (await Get<DatabaseStore>().FindDatabaseAsync(client.AccountId, Id(databaseId), Ct))!;
        var bob = await NewProfileAsync(database, new JsonObject { ["Name"] = "bob", ["Age"] = 4, ["City"] = "utrecht" });
        var alicia = await NewProfileAsync(database, new JsonObject { ["Name"] = "ALICIA", ["Age"] = 100, ["City"] = "Amsterdam" });
        var alice = await NewProfileAsync(database, new JsonObject { ["Name"] = "Alice", ["Age"] = 30, ["City"] = "Breda" });

        (await MatchAsync(client, databaseId, "&orderby=name")).ShouldBe([alice, alicia, bob]);
        (await MatchAsync(client, databaseId, "&orderby=Name&order=desc")).ShouldBe([bob, alicia, alice]);
        (await MatchAsync(client, databaseId, "&orderby=age")).ShouldBe([bob, alice, alicia]);
        (await MatchAsync(client, databaseId, "&orderby=city")).ShouldBe([alicia, alice, bob], "an indexed text field sorts the same way");
        (await MatchAsync(client, databaseId, "city==UTRECHT")).ShouldBe([bob]);
    }

    [Fact]
    public async Task Concurrent_creation_of_one_name_gives_one_database_and_copernica_errors_for_the_rest()
    {
        var accountId = await NewAccountAsync();
        var databases = Get<DatabaseStore>();
        var name = Unique("Race");
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => databases.CreateDatabaseAsync(accountId, name, "", false, Ct), Ct)).ToList();
        var outcomes = new List<Exception?>();
        foreach (var attempt in attempts)
        {
            try { await attempt; outcomes.Add(null); }
            catch (Exception ex) { outcomes.Add(ex); }
        }

        outcomes.Count(e => e is null).ShouldBe(1);
        outcomes.Where(e => e is not null).ShouldAllBe(e => e is RequestRejectedException && e.Message == $"A database with the name '{name}' already exists");
        (await databases.ListDatabasesAsync(accountId, new Tidings.Rest.Paging(0, 100, true), Ct)).Total.ShouldBe(1);
    }

    private static async Task<List<long>> MatchAsync(ApiClient client, long databaseId, params string[] conditions)
    {
        var query = string.Concat(conditions.Select(c => c.StartsWith('&') ? c : "&fields[]=" + Uri.EscapeDataString(c)));
        var json = await client.GetJsonAsync($"/v3/database/{databaseId}/profiles?limit=1000{query}");
        var ids = json!["data"]!.AsArray().Select(p => long.Parse(p!["ID"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        json["total"]!.GetValue<long>().ShouldBe(ids.Count);
        return ids;
    }
}
