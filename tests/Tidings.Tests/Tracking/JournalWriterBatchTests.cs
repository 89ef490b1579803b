using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

/// <summary>The journal writer with several batches handed to the store at once (Events:MaxAppendBatchesInFlight).</summary>
public sealed class JournalWriterBatchTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_of_concurrent_events_is_answered_and_journaled_once_each()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 5);
        var writer = app.Services.GetRequiredService<JournalWriter>();
        var answered = new List<int>();

        // Far more events than one batch gathers while another commits: several batches are in flight at once.
        var appends = Enumerable.Range(0, 2000).Select(async i =>
        {
            var d = scenario.Destinations[i % scenario.Destinations.Count];
            var outcome = await writer.AppendAsync(new RawEvent(EventTypes.Open, DestinationKey.Token, d.Token, null, 1_700_000_000_000 + i, new JsonObject { ["n"] = i }), Ct);
            lock (answered) answered.Add(i);
            return outcome;
        }).ToList();
        (await Task.WhenAll(appends)).ShouldAllBe(o => o == AppendOutcome.Recorded);

        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var journaled = (await connection.QueryAsync<string>(
            "SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'open' ORDER BY seq", new { client.AccountId })).Select(p => JsonNode.Parse(p)!["n"]!.GetValue<int>()).ToList();
        journaled.Count.ShouldBe(2000);
        journaled.Distinct().Count().ShouldBe(2000);
        answered.Count.ShouldBe(2000);
    }

    [Fact]
    public async Task Events_appended_together_are_journaled_in_their_order_and_on_SQLite_together_while_other_batches_commit()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 5);
        var writer = app.Services.GetRequiredService<JournalWriter>();
        RawEvent Open(int group, int n) => new(EventTypes.Open, DestinationKey.Token, scenario.Destinations[n % 5].Token, null, 1_700_000_000_000 + n,
            new JsonObject { ["group"] = group, ["n"] = n });

        // Groups (as one MTA results request) among single events, so that several batches are in flight at once.
        var groups = Enumerable.Range(0, 40).Select(g => writer.AppendAllAsync(Enumerable.Range(0, 25).Select(n => Open(g, n)), Ct)).ToList();
        var singles = Enumerable.Range(0, 1000).Select(i => writer.AppendAsync(Open(-1, i), Ct)).ToList();
        (await Task.WhenAll(groups)).ShouldAllBe(outcomes => outcomes.Length == 25 && outcomes.All(o => o == AppendOutcome.Recorded));
        await Task.WhenAll(singles);

        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var journaled = (await connection.QueryAsync<string>(
            "SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'open' ORDER BY seq", new { client.AccountId }))
            .Select(p => JsonNode.Parse(p)!).Select(j => (Group: j["group"]!.GetValue<int>(), N: j["n"]!.GetValue<int>())).ToList();
        foreach (var g in Enumerable.Range(0, 40))
        {
            journaled.Where(e => e.Group == g).ShouldBe(Enumerable.Range(0, 25).Select(n => (g, n)), $"group {g} is whole and in order");
            if (app.OnPostgres) continue; // appends take no lock there: another batch's rows may draw seqs between a group's
            var first = journaled.FindIndex(e => e.Group == g);
            journaled.Skip(first).Take(25).ShouldBe(Enumerable.Range(0, 25).Select(n => (g, n)), $"group {g} is journaled together");
        }
    }
}
