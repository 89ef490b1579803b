using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

/// <summary>
/// The statistics consumer keeps the per-destination results it counted in memory between batches; what another node
/// (sharing the database) counted meanwhile must not be overwritten by those remembered results.
/// </summary>
public sealed class StatisticsCacheTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Results_another_node_counted_between_two_batches_are_kept()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, 2);
        var events = new StatisticsEvents(app, client);
        var d = s.Destinations[0];
        await events.OpenAsync(d, StatisticsEvents.Day1);
        await events.CountedAsync(); // this node has counted the first open, and remembers the result

        // Another node journals a second open and counts it, all in one transaction, so this node never sees it uncounted.
        var storage = app.Services.GetRequiredService<IStorage>();
        await storage.WriteAsync(async w =>
        {
            await using (var inserter = JournalInserter.Create(w))
            {
                await inserter.InsertAsync(client.AccountId, EventTypes.Open, StatisticsEvents.Day1 + 1000, "{}", s.MailingId, d.Id, null);
            }

            var c = w.Connection;
            await c.ExecuteAsync("UPDATE destination_results SET impressions = impressions + 1 WHERE destination_id = @Id", new { d.Id }, w.Transaction);
            await c.ExecuteAsync("UPDATE mailing_statistics SET total = total + 1 WHERE mailing_id = @MailingId AND metric = 'impressions'", new { s.MailingId }, w.Transaction);
            return await c.ExecuteAsync("UPDATE consumer_cursors SET seq = (SELECT MAX(seq) FROM journal) WHERE name = 'statistics'", transaction: w.Transaction);
        }, TestContext.Current.CancellationToken);

        await events.OpenAsync(d, StatisticsEvents.Day1 + 2000);
        await events.CountedAsync();

        await using (var connection = await storage.OpenReadAsync(TestContext.Current.CancellationToken))
        {
            (await connection.ExecuteScalarAsync<long>("SELECT impressions FROM destination_results WHERE destination_id = @Id", new { d.Id })).ShouldBe(3);
        }

        var stats = await client.GetJsonAsync($"/v3/ms/emailing/{s.MailingId}/statistics");
        stats!["impressions"]!["total"]!.GetValue<long>().ShouldBe(3);
        stats["impressions"]!["unique"]!.GetValue<long>().ShouldBe(1);
    }
}
