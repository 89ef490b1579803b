using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// Old webhook attempts and finished deliveries are removed in bounded steps with a pause between them, so a large
/// backlog never becomes one long write; pending deliveries and recent rows stay.
/// </summary>
public sealed class AttemptRetentionTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backlog_of_old_attempts_goes_in_steps_of_the_batch_size_with_a_pause_between_and_recent_and_pending_rows_stay()
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        // Each reading of the clock moves it on a little, so a step takes time and its pause is not zero.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        var webhook = Random.Shared.NextInt64(1_000_000_000, 2_000_000_000);
        var old = time.GetUtcNow().AddDays(-20).ToUnixTimeMilliseconds();
        var recent = time.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds();
        await storage.WriteAsync(async w =>
        {
            for (var i = 0; i < 250; i++) await InsertAttemptAsync(w, webhook, old + i);
            for (var i = 0; i < 3; i++) await InsertAttemptAsync(w, webhook, recent + i);
            await InsertDeliveryAsync(w, webhook, "delivered", old);
            await InsertDeliveryAsync(w, webhook, "failed", old);
            await InsertDeliveryAsync(w, webhook, "pending", old);
            await InsertDeliveryAsync(w, webhook, "failed", recent);
            return 0;
        }, Ct);
        var retention = new AttemptRetention(storage, time, new DispatchOptions
        {
            AttemptRetentionDays = 14, AttemptRetentionBatchSize = 100, AttemptRetentionYieldFactor = 1_000, AttemptSweepInterval = TimeSpan.FromHours(1),
        });

        (await retention.StepIfDueAsync()).ShouldBe(102, "the first step: 100 attempts and both finished old deliveries");
        (await CountsAsync(storage, webhook)).ShouldBe((153, 2));
        (await retention.StepIfDueAsync()).ShouldBe(0, "a full step is followed by a pause");

        time.Advance(TimeSpan.FromMinutes(5));
        (await retention.StepIfDueAsync()).ShouldBe(100);
        time.Advance(TimeSpan.FromMinutes(5));
        (await retention.StepIfDueAsync()).ShouldBe(50, "the last step is not full: the sweep ends");
        (await CountsAsync(storage, webhook)).ShouldBe((3, 2), "recent attempts, the pending and the recent delivery stay");

        time.Advance(TimeSpan.FromMinutes(5));
        await storage.WriteAsync(w => InsertAttemptAsync(w, webhook, old), Ct);
        (await retention.StepIfDueAsync()).ShouldBe(0, "the next sweep waits for the interval");
        time.Advance(TimeSpan.FromHours(1));
        (await retention.StepIfDueAsync()).ShouldBe(1);
    }

    private static Task<int> InsertAttemptAsync(WriteContext w, long webhook, long attempted) => w.Connection.ExecuteAsync(
        "INSERT INTO webhook_attempts (webhook_id, account_id, event_id, events, attempt, attempted, status, latency_ms) VALUES (@webhook, 1, 'e', 1, 1, @attempted, 200, 5)",
        new { webhook, attempted }, w.Transaction);

    private static Task<int> InsertDeliveryAsync(WriteContext w, long webhook, string status, long lastAttempt) => w.Connection.ExecuteAsync(
        "INSERT INTO webhook_deliveries (webhook_id, account_id, journal_seq, event_id, status, attempts, last_attempt, next_attempt, created) VALUES (@webhook, 1, 1, 'e', @status, 1, @lastAttempt, @lastAttempt, @lastAttempt)",
        new { webhook, status, lastAttempt }, w.Transaction);

    private static async Task<(long Attempts, long Deliveries)> CountsAsync(IStorage storage, long webhook)
    {
        await using var c = await storage.OpenReadAsync(Ct);
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_attempts WHERE webhook_id = @webhook", new { webhook }),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @webhook", new { webhook }));
    }
}
