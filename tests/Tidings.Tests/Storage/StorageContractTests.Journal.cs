using System.Text.Json.Nodes;
using Dapper;
using Tidings.Journal;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Storage;

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
        await Should.ThrowAsync<RequestRejectedException>(() => Get<ProfileStore>().BulkDeleteAsync(database, [kept, kept + 1_000_000], "test", Ct));

        (await JournalAsync(accountId)).Count.ShouldBe(before);
        (await Get<ProfileStore>().RequireAsync(accountId, Id(kept), Ct)).Row.IsRemoved.ShouldBeFalse();
    }

    [Fact]
    public async Task A_journal_record_that_commits_late_is_never_passed_by_a_reader()
    {
        var accountId = await NewAccountAsync();
        var reader = Get<JournalReader>();
        var start = await reader.HeadAsync(Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAppended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first writer draws its sequence number and then holds its transaction open.
        var first = Storage.WriteAsync(async w =>
        {
            await ChangeJournal.AppendAsync(w, accountId, "test.first", 0, []);
            firstAppended.SetResult();
            await release.Task;
            return 0;
        }, Ct);
        await firstAppended.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // A later writer draws a higher number. SQLite's one writer makes it wait; on PostgreSQL appends take no lock
        // and it commits first. Either way a reader following by position must not be shown it yet: it would pass
        // the first record for good.
        var second = Storage.WriteAsync(async w =>
        {
            await ChangeJournal.AppendAsync(w, accountId, "test.second", 0, []);
            return 0;
        }, Ct);
        if (Storage.Dialect.Provider == StorageProvider.Postgres) await second.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        (await reader.ReadAsync(new JournalRange(start) { AccountId = accountId }, Ct)).ShouldBeEmpty();
        (await reader.HasAfterAsync(start, Ct)).ShouldBeFalse();

        release.SetResult();
        await Task.WhenAll(first, second);
        (await reader.HeadAsync(Ct)).ShouldBeGreaterThan(start);
        (await reader.ReadAsync(new JournalRange(start) { AccountId = accountId }, Ct)).Select(r => r.Type).ShouldBe(["test.first", "test.second"]);
        (await JournalAsync(accountId)).Select(r => r.Type).ShouldBe(["test.first", "test.second"]);
    }

    private async Task<List<(long Seq, string Type, string Payload)>> JournalAsync(long accountId)
    {
        await using var c = await Storage.OpenReadAsync(Ct);
        return (await c.QueryAsync<(long Seq, string Type, string Payload)>(
            "SELECT seq, type, payload FROM journal WHERE account_id = @accountId ORDER BY seq", new { accountId })).ToList();
    }
}
