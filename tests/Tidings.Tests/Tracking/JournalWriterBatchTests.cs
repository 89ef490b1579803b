using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events;
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

        await using var connection = await app.Services.GetRequiredService<IStorage>().OpenReadAsync(Ct);
        var journaled = (await connection.QueryAsync<string>(
            "SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'open' ORDER BY seq", new { client.AccountId })).Select(p => JsonNode.Parse(p)!["n"]!.GetValue<int>()).ToList();
        journaled.Count.ShouldBe(2000);
        journaled.Distinct().Count().ShouldBe(2000);
        answered.Count.ShouldBe(2000);
    }
}
