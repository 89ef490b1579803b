using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>
/// The feature services called in-process, as SOAP or the dashboard will call them, without HTTP: id-or-name
/// resolution, value normalisation, change capture and Copernica's rejections live in the services, not in the REST
/// endpoints.
/// </summary>
public sealed class FeatureServiceCallTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_database_is_found_by_id_or_by_name_in_any_case_but_only_in_its_own_account()
    {
        var owner = (await app.NewAccountAsync()).AccountId;
        var other = (await app.NewAccountAsync()).AccountId;
        var databases = Get<DatabaseService>();
        var id = await databases.CreateAsync(owner, new DatabaseChange("Customers", "all of them"), Ct);

        (await databases.RequireAsync(owner, Id(id), Ct)).Name.ShouldBe("Customers");
        (await databases.RequireAsync(owner, "CUSTOMERS", Ct)).Id.ShouldBe(id);
        (await databases.GetAsync(owner, "customers", Ct)).Database.Description.ShouldBe("all of them");
        (await Should.ThrowAsync<RequestRejectedException>(() => databases.RequireAsync(other, Id(id), Ct))).Message.ShouldBe(CopernicaErrors.NoDatabase);
        (await Should.ThrowAsync<RequestRejectedException>(() => databases.RequireAsync(other, "Customers", Ct))).Message.ShouldBe(CopernicaErrors.NoDatabase);
    }

    [Fact]
    public async Task A_collection_is_found_by_id_in_the_account_and_by_name_only_within_its_database()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var databases = Get<DatabaseService>();
        var collections = Get<CollectionService>();
        var shop = await databases.RequireAsync(accountId, Id(await databases.CreateAsync(accountId, new DatabaseChange("Shop", null), Ct)), Ct);
        var club = await databases.RequireAsync(accountId, Id(await databases.CreateAsync(accountId, new DatabaseChange("Club", null), Ct)), Ct);
        var orders = await collections.CreateAsync(shop, new DatabaseChange("Orders", null), Ct);

        (await collections.RequireAsync(accountId, Id(orders), Ct)).DatabaseId.ShouldBe(shop.Id);
        (await collections.RequireInAsync(shop, "ORDERS", CopernicaErrors.NoCollection, Ct)).Id.ShouldBe(orders);
        (await collections.FindInAsync(club, Id(orders), Ct)).ShouldBeNull("an id of another database's collection");
        (await collections.FindInAsync(club, "Orders", Ct)).ShouldBeNull();
        (await Should.ThrowAsync<RequestRejectedException>(() => collections.RequireAsync(accountId, "Orders", Ct))).Message.ShouldBe(CopernicaErrors.NoCollection);
        (await Should.ThrowAsync<RequestRejectedException>(() => collections.RequireInAsync(club, "Orders", CopernicaErrors.SubprofileNotCreated, Ct)))
            .Message.ShouldBe(CopernicaErrors.SubprofileNotCreated);
    }

    [Fact]
    public async Task Field_values_are_normalised_per_field_type_as_copernica_does()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var database = await NewDatabaseAsync(accountId, ("Visits", "integer", null), ("Score", "float", null), ("Born", "date", null), ("Seen", "empty_datetime", null),
            ("Size", "select", "S\r\nM\r\nL"), ("Note", "text", null));
        var profiles = Get<ProfileService>();

        var id = await profiles.CreateAsync(database, new ProfileChange(new JsonObject
        {
            ["visits"] = "12 times", ["SCORE"] = "2.50", ["Born"] = "nonsense", ["Seen"] = "", ["Size"] = "m", ["Note"] = true,
        }), "test", Ct);

        (await profiles.RequireAsync(accountId, Id(id), Ct)).Row.Values.ShouldBe(["12", "2.5", "0000-00-00", "", "", "1"]);

        var p = await profiles.RequireAsync(accountId, Id(id), Ct);
        await profiles.UpdateAsync(p, new ProfileChange(new JsonObject { ["Size"] = "M", ["Born"] = "2024-03-05 10:30:00", ["Visits"] = new JsonArray(1, 2) }), "test", Ct);
        (await profiles.RequireAsync(accountId, Id(id), Ct)).Row.Values.ShouldBe(["1", "2.5", "2024-03-05", "", "M", "1"]);
    }

    [Fact]
    public async Task A_change_made_through_a_service_is_journalled_with_the_old_and_new_values_and_its_source()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var database = await NewDatabaseAsync(accountId, ("Name", "text", null));
        var profiles = Get<ProfileService>();
        var id = await profiles.CreateAsync(database, new ProfileChange(new JsonObject { ["Name"] = "Ann" }), "dashboard", Ct);

        var changed = await profiles.UpdateAsync(await profiles.RequireAsync(accountId, Id(id), Ct), new ProfileChange(new JsonObject { ["Name"] = "Anne" }), "dashboard", Ct);
        var unchanged = await profiles.UpdateAsync(await profiles.RequireAsync(accountId, Id(id), Ct), new ProfileChange(new JsonObject { ["Name"] = "Anne" }), "dashboard", Ct);

        changed.ShouldBeTrue();
        unchanged.ShouldBeFalse("nothing changed, so nothing is journalled");
        var records = await app.JournalAsync(accountId);
        records.Select(r => r.Type).ShouldBe(["profile.create", "profile.update"]);
        var update = records[1].Payload;
        update["source"]!.GetValue<string>().ShouldBe("dashboard");
        update["fields"]!["Name"]!.GetValue<string>().ShouldBe("Anne");
        update["old"]!["fields"]!["Name"]!.GetValue<string>().ShouldBe("Ann");
    }

    [Fact]
    public async Task A_rejected_bulk_delete_changes_nothing_and_journals_nothing()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var database = await NewDatabaseAsync(accountId, ("Name", "text", null));
        var profiles = Get<ProfileService>();
        var kept = await profiles.CreateAsync(database, new ProfileChange(new JsonObject { ["Name"] = "Kept" }), "test", Ct);
        var before = (await app.JournalAsync(accountId)).Count;

        var unknown = await Should.ThrowAsync<RequestRejectedException>(() => profiles.BulkDeleteAsync(database, [kept, kept + 1_000_000], "test", false, Ct));
        var tooMany = await Should.ThrowAsync<RequestRejectedException>(() => profiles.BulkDeleteAsync(database, Enumerable.Range(1, 10_001).Select(i => (long)i).ToList(), "test", false, Ct));

        unknown.Message.ShouldBe($"{CopernicaErrors.NoProfile}: {kept + 1_000_000}");
        tooMany.Message.ShouldBe("Too many profiles in one delete: at most 10000 (setting Rest:MaxBulkDelete)");
        (await app.JournalAsync(accountId)).Count.ShouldBe(before);
        (await profiles.RequireAsync(accountId, Id(kept), Ct)).Row.IsRemoved.ShouldBeFalse();
    }

    [Fact]
    public async Task Unsubscribe_and_intention_rules_are_the_services_whoever_calls()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var databases = Get<DatabaseService>();
        var database = await databases.RequireAsync(accountId, Id(await databases.CreateAsync(accountId, new DatabaseChange("Shop", null), Ct)), Ct);

        (await Should.ThrowAsync<RequestRejectedException>(() => databases.SetUnsubscribeAsync(database, new UnsubscribeChange("vanish", null), Ct)))
            .Message.ShouldBe("Invalid behavior 'vanish': expected nothing, remove or update");
        await databases.SetUnsubscribeAsync(database, new UnsubscribeChange(" Update ", new JsonObject { ["Optin"] = "no" }), Ct);
        await databases.SetIntentionsAsync(database, new IntentionsChange(true, null, null, null), Ct);
        await databases.SetIntentionsAsync(await databases.RequireAsync(accountId, "Shop", Ct), new IntentionsChange(null, null, false, null), Ct);

        var stored = await databases.RequireAsync(accountId, Id(database.Id), Ct);
        stored.UnsubscribeBehavior.ShouldBe("update");
        stored.UnsubscribeFields.ShouldBe("{\"Optin\":\"no\"}");
        JsonNode.Parse(stored.Intentions)!.ToJsonString().ShouldBe("{\"email\":true,\"sms\":false,\"fax\":false,\"pdf\":false}", "the ones not given stay as they were");
    }

    [Fact]
    public async Task The_identity_of_an_account_that_no_longer_exists_is_an_invalid_access_token()
    {
        var accounts = Get<AccountService>();
        var accountId = (await app.NewAccountAsync("Known")).AccountId;

        (await accounts.IdentityAsync(accountId, Ct)).Name.ShouldBe("Known");
        (await Should.ThrowAsync<RequestRejectedException>(() => accounts.IdentityAsync(long.MaxValue, Ct))).Message.ShouldBe(CopernicaErrors.InvalidAccessToken);
    }

    private async Task<DatabaseRecord> NewDatabaseAsync(long accountId, params (string Name, string Type, string? Value)[] fields)
    {
        var databases = Get<DatabaseService>();
        var database = await databases.RequireAsync(accountId, Id(await databases.CreateAsync(accountId, new DatabaseChange("Db" + Guid.NewGuid().ToString("N")[..8], null), Ct)), Ct);
        foreach (var (name, type, value) in fields)
        {
            await Get<FieldService>().CreateAsync(FieldOwner.Of(database), new FieldSpec(name, type, value, null, null, null, null, null, null, null), Ct);
        }

        return database;
    }
}
