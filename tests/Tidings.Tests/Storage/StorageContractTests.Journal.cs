using System.Text.Json.Nodes;
using Dapper;
using Tidings.Events;
using Tidings.Profiles;

namespace Tidings.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Every_profile_change_appends_one_journal_record_in_order()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("Name", "text"));
        var profiles = Get<ProfileStore>();
        var id = await NewProfileAsync(database, new JsonObject { ["Name"] = "Ann" });
        await profiles.UpdateAsync(accountId, id, new JsonObject { ["Name"] = "Anne" }, null, false, null, "test", Ct);
        await profiles.DeleteAsync(accountId, id, "test", Ct);

        var records = await JournalAsync(accountId);
        records.Select(r => r.Type).ShouldBe(["profile.create", "profile.update", "profile.delete"]);
        records.Select(r => r.Seq).ShouldBeInOrder(SortDirection.Ascending);
        var update = JsonNode.Parse(records[1].Payload)!;
        update["profile"]!.GetValue<long>().ShouldBe(id);
        update["fields"]!["Name"]!.GetValue<string>().ShouldBe("Anne");
        update["old"]!["fields"]!["Name"]!.GetValue<string>().ShouldBe("Ann");
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_its_change_nor_its_journal_record()
    {
        var accountId = await NewAccountAsync();
        var database = await NewDatabaseAsync(accountId, ("Name", "text"));
        var kept = await NewProfileAsync(database, new JsonObject { ["Name"] = "Kept" });
        var before = (await JournalAsync(accountId)).Count;

        await Should.ThrowAsync<InvalidOperationException>(() => Storage.WriteAsync<int>(async w =>
        {
            await ChangeJournal.AppendAsync(w, accountId, "test.event", 0, new JsonObject { ["n"] = 1 });
            throw new InvalidOperationException("after the journal record");
        }, Ct));

        // A bulk delete naming an unknown profile fails as a whole: the known profile stays and nothing is journalled.
        await Should.ThrowAsync<Tidings.Rest.RestException>(() => Get<ProfileStore>().BulkDeleteAsync(database, [kept, kept + 1_000_000], "test", Ct));

        (await JournalAsync(accountId)).Count.ShouldBe(before);
        (await Get<ProfileStore>().RequireAsync(accountId, Id(kept), Ct)).Row.IsRemoved.ShouldBeFalse();
    }

    private async Task<List<(long Seq, string Type, string Payload)>> JournalAsync(long accountId)
    {
        await using var c = await Storage.OpenReadAsync(Ct);
        return (await c.QueryAsync<(long Seq, string Type, string Payload)>(
            "SELECT seq, type, payload FROM journal WHERE account_id = @accountId ORDER BY seq", new { accountId })).ToList();
    }
}
