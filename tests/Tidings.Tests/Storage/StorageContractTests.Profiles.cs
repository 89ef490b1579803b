using System.Globalization;
using System.Text.Json.Nodes;
using Tidings.Profiles;
using Tidings.Rejections;

namespace Tidings.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task A_profile_can_be_created_read_updated_and_removed()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("Email", "email"), ("Visits", "integer"), ("Balance", "float"));
        var profiles = Get<ProfileStore>();

        var id = await NewProfileAsync(database, new JsonObject { ["email"] = "a@example.com", ["Visits"] = "3", ["Balance"] = 2.5 });
        var created = await profiles.RequireAsync(accountId, Id(id), Ct);
        created.Row.Values.ShouldBe(["a@example.com", "3", "2.5"]);
        created.Row.IsRemoved.ShouldBeFalse();
        created.Row.Secret.ShouldMatch("^[0-9a-f]{28}$");

        (await profiles.UpdateAsync(accountId, id, new JsonObject { ["Visits"] = 4 }, null, false, null, "test", Ct)).ShouldBeTrue();
        (await profiles.UpdateAsync(accountId, id, new JsonObject { ["Visits"] = 4 }, null, false, null, "test", Ct)).ShouldBeFalse("nothing changed");
        (await profiles.RequireAsync(accountId, Id(id), Ct)).Row.Values.ShouldBe(["a@example.com", "4", "2.5"]);

        await profiles.DeleteAsync(accountId, id, "test", Ct);
        var removed = await profiles.RequireAsync(accountId, Id(id), Ct);
        removed.Row.IsRemoved.ShouldBeTrue();
        removed.Row.Values.ShouldBe(["", "0", "0"]);
        (await profiles.IdsAsync(database, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_subprofile_can_be_created_read_updated_and_is_removed_with_its_profile()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("Name", "text"));
        var databases = Get<DatabaseStore>();
        var collection = (await databases.FindCollectionAsync(accountId, Id(await databases.CreateCollectionAsync(database, "Orders", "", Ct)), database, Ct))!;
        await Get<FieldStore>().CreateAsync(accountId, database.Id, collection.Id, Spec("Amount", "integer"), Ct);
        var profiles = Get<ProfileStore>();
        var subprofiles = Get<SubprofileStore>();
        var profileId = await NewProfileAsync(database, new JsonObject { ["Name"] = "Ann" });

        var id = await subprofiles.CreateAsync(await profiles.RequireAsync(accountId, Id(profileId), Ct), collection, new JsonObject { ["amount"] = "12" }, "test", Ct);
        var sub = await subprofiles.RequireAsync(accountId, Id(id), Ct);
        (sub.Row.ProfileId, sub.Row.Values[0], sub.Collection.Id).ShouldBe((profileId, "12", collection.Id));

        (await subprofiles.UpdateAsync(accountId, id, new JsonObject { ["Amount"] = 13 }, null, "test", Ct)).ShouldBeTrue();
        (await subprofiles.RequireAsync(accountId, Id(id), Ct)).Row.Values.ShouldBe(["13"]);

        await profiles.DeleteAsync(accountId, profileId, "test", Ct);
        (await subprofiles.RequireAsync(accountId, Id(id), Ct)).Row.IsRemoved.ShouldBeTrue();
        (await subprofiles.IdsAsync(collection, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Data_of_one_account_is_invisible_to_another()
    {
        var owner = await NewAccountAsync();
        var other = await NewAccountAsync();
        var database = await NewDatabaseAsync(owner, ("Name", "text"));
        var databases = Get<DatabaseStore>();
        var collectionId = await databases.CreateCollectionAsync(database, "Orders", "", Ct);
        var profileId = await NewProfileAsync(database, new JsonObject { ["Name"] = "Ann" });

        (await databases.FindDatabaseAsync(other, Id(database.Id), Ct)).ShouldBeNull();
        (await databases.FindDatabaseAsync(other, database.Name, Ct)).ShouldBeNull();
        (await databases.FindCollectionAsync(other, Id(collectionId), null, Ct)).ShouldBeNull();
        (await Get<ProfileStore>().FindAsync(other, Id(profileId), Ct)).ShouldBeNull();
        (await databases.ListDatabasesAsync(other, new Tidings.Rest.Paging(0, 100, true), Ct)).Total.ShouldBe(0);
        await Should.ThrowAsync<RequestRejectedException>(() => Get<ProfileStore>().DeleteAsync(other, profileId, "test", Ct));
        (await Get<ProfileStore>().RequireAsync(owner, Id(profileId), Ct)).Row.IsRemoved.ShouldBeFalse();

        // The same name may exist once per account.
        (await databases.CreateDatabaseAsync(other, database.Name, "", false, Ct)).ShouldNotBe(database.Id);
    }

    protected static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
