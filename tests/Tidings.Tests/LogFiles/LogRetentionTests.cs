using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.LogFiles;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

/// <summary>The server with the default retention of 30 days (other fixtures keep everything).</summary>
public sealed class RetentionApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["LogFiles:RetentionDays"] = "30",
    };
}

public sealed class LogRetentionTests(RetentionApp app) : IClassFixture<RetentionApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retention_deletes_old_mailing_events_but_not_ones_a_consumer_has_not_passed()
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-40).ToUnixTimeMilliseconds();
        var recent = now.AddDays(-1).ToUnixTimeMilliseconds();
        // The consumer's cursor exists before the records do, so a background sweep can never get at them early.
        await storage.WriteAsync(w => w.Connection.ExecuteAsync("INSERT INTO consumer_cursors (name, seq) VALUES ('test-consumer', 0)", transaction: w.Transaction), Ct);
        var seqs = new List<long>();
        foreach (var (type, occurred) in new[] { ("open", old), ("click", old), ("attempt", old), ("profile.update", old), ("open", recent) })
        {
            seqs.Add(await storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES (@id, 999, @type, @occurred, '{}') RETURNING seq",
                new { id = Guid.NewGuid().ToString("N"), type, occurred }, w.Transaction), Ct));
        }

        // A consumer (say, webhooks) has not yet passed the click: it and everything after it must stay.
        await storage.WriteAsync(w => w.Connection.ExecuteAsync("UPDATE consumer_cursors SET seq = @seq WHERE name = 'test-consumer'", new { seq = seqs[1] }, w.Transaction), Ct);
        // Every consumer's cursor holds retention back, the statistics consumer's too: let it pass these records.
        await app.Services.GetRequiredService<Tidings.Statistics.StatisticsConsumer>().CatchUpAsync(Ct);
        var retention = app.Services.GetRequiredService<LogRetention>();
        await retention.SweepAsync(Ct);
        (await Remaining()).ShouldBe(seqs.Skip(1));

        // Once the consumer has moved on, the old mailing events go; the change record and the recent open stay.
        await storage.WriteAsync(w => w.Connection.ExecuteAsync("UPDATE consumer_cursors SET seq = @seq WHERE name = 'test-consumer'", new { seq = seqs[^1] + 1 }, w.Transaction), Ct);
        await retention.SweepAsync(Ct);
        (await Remaining()).ShouldBe([seqs[3], seqs[4]]);

        async Task<List<long>> Remaining()
        {
            await using var c = await storage.OpenReadAsync(Ct);
            return (await c.QueryAsync<long>("SELECT seq FROM journal WHERE account_id = 999 ORDER BY seq")).ToList();
        }
    }
}
