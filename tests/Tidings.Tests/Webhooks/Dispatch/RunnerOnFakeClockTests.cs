using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tidings.Journal;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;
using Tidings.Webhooks.Outbound;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>The server with its own delivery engine off: the tests run a <see cref="WebhookRunner"/> of their own.</summary>
public sealed class RunnerApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Dispatch:Enabled"] = "false",
    };
}

/// <summary>
/// A webhook runner on a fake clock, over the real store, ledger and sender, calling a real receiver: retries, backoff
/// and Retry-After play out by advancing the clock, so the test knows the exact delay the runner chose and never sleeps
/// for it. Waits are for what the runner does (a call arriving, a timer being set), each with a bound.
/// </summary>
public sealed class RunnerOnFakeClockTests(RunnerApp app) : IClassFixture<RunnerApp>
{
    private static readonly DispatchOptions Options = new()
    {
        FirstRetryDelay = TimeSpan.FromSeconds(10),
        MaxRetryDelay = TimeSpan.FromHours(1),
        PauseAfterFailures = 5,
        PollInterval = TimeSpan.FromMilliseconds(200),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Running(WebhookRunner Runner, WatchedClock Clock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // The grace for calls in flight passes on the runner's clock: a call still waiting (a test that failed
            // half-way) is cancelled instead of holding the stop for ever.
            var stopping = Runner.StopAsync(Grace);
            Clock.Advance(Grace);
            await stopping.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            await Runner.DisposeAsync();
        }
    }

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>A webhook on profile creates to <paramref name="receiver"/>, one profile created, and a runner for it on a fake clock.</summary>
    private async Task<Running> StartAsync(Receiver receiver, bool ordered, DispatchOptions? options = null, int backlog = 0, int maxPerSecond = 50)
    {
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var id = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database, ordered, signing = "none", max_per_second = maxPerSecond });
        var head = app.Services.GetRequiredService<JournalHead>();
        var cursor = await head.RefreshAsync(Ct);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(() => head.RefreshAsync(Ct), seq => seq > cursor);

        var storage = app.Services.GetRequiredService<IStorage>();
        if (backlog > 0) await AddCopiesAsync(storage, cursor, backlog);
        await head.RefreshAsync(Ct);
        WebhookRecord record;
        await using (var c = await storage.OpenReadAsync(Ct))
        {
            record = await c.QuerySingleAsync<WebhookRecord>($"SELECT {WebhookStore.Columns} FROM webhooks WHERE id = @id", new { id });
        }

        var clock = new WatchedClock(DateTimeOffset.UtcNow);
        var services = new RunnerServices(storage, app.Services.GetRequiredService<DeliveryLedger>(), app.Services.GetRequiredService<WebhookSender>(),
            app.Services.GetRequiredService<WebhookPayloads>(), head, app.Services.GetRequiredService<JournalReader>(), options ?? Options, clock, new SemaphoreSlim(4), NullLogger.Instance,
            app.Services.GetRequiredService<WebhookMetrics>());
        var runner = new WebhookRunner(ActiveWebhook.From(record, [DeliveryApp.Domain]), cursor, services);
        runner.Start();
        return new Running(runner, clock);
    }

    /// <summary>Journals <paramref name="count"/> copies of the first event after <paramref name="cursor"/> (the profile created), at once.</summary>
    private static async Task AddCopiesAsync(IStorage storage, long cursor, int count)
    {
        (long AccountId, string Type, long Occurred, string Payload) row;
        await using (var c = await storage.OpenReadAsync(Ct))
        {
            row = await c.QueryFirstAsync<(long, string, long, string)>("SELECT account_id, type, occurred, payload FROM journal WHERE seq > @cursor ORDER BY seq", new { cursor });
        }

        await storage.WriteAsync(async w =>
        {
            await using var inserter = JournalInserter.Create(w);
            for (var i = 0; i < count; i++) await inserter.InsertAsync(row.AccountId, row.Type, row.Occurred, row.Payload, null, null, null);
            return count;
        }, Ct);
    }

    /// <summary>Advances the clock a second at a time until the receiver has more calls than <paramref name="calls"/>.</summary>
    private static async Task<int> AdvanceUntilCalledAsync(Running run, Receiver receiver, int calls)
    {
        for (var step = 0; step < 200; step++)
        {
            run.Clock.Advance(TimeSpan.FromSeconds(1));
            for (var wait = 0; wait < 10 && receiver.Calls.Count <= calls; wait++) await Task.Delay(10, Ct);
            if (receiver.Calls.Count > calls) return receiver.Calls.Count;
        }

        throw new TimeoutException($"No call after {calls} in 200 s of the runner's clock");
    }

    [Fact]
    public async Task A_receiver_that_is_down_costs_a_queue_and_a_retry_row_per_call_whatever_the_backlog_and_keeps_its_rate()
    {
        await using var receiver = await Receiver.StartAsync();
        var down = 1;
        receiver.Answer = _ => Volatile.Read(ref down) == 1 ? 503 : 200;
        var options = new DispatchOptions
        {
            FirstRetryDelay = Options.FirstRetryDelay, MaxRetryDelay = Options.MaxRetryDelay, PauseAfterFailures = Options.PauseAfterFailures,
            PollInterval = Options.PollInterval, QueueCapacity = 50, MaxPause = TimeSpan.FromSeconds(2),
        };
        const int backlog = 2000; // 40 times the queue
        await using var run = await StartAsync(receiver, ordered: false, options, backlog, maxPerSecond: 500);

        // The outage: the first calls fail (503 halves the rate each time), the webhook pauses, then probes one call at a time.
        var calls = 0;
        for (var probe = 0; probe < 15; probe++) calls = await AdvanceUntilCalledAsync(run, receiver, calls);
        var status = await EventTypeDeliveryTests.WaitForAsync(() => Task.FromResult(run.Runner.Status()), s => s.FailedCallsSinceStart >= calls);
        status.FailuresInARow.ShouldBeGreaterThanOrEqualTo(options.PauseAfterFailures);
        status.Rate.ShouldBeLessThan(run.Runner.Webhook.MaxPerSecond / 8.0, "the 503s halved the rate");

        // What the outage costs does not grow with the events waiting: a bounded queue in memory (the rest stays in the
        // journal, unread) and at most one retry row per failed call.
        status.Queued.ShouldBeLessThanOrEqualTo(options.QueueCapacity);
        var storage = app.Services.GetRequiredService<IStorage>();
        await using (var c = await storage.OpenReadAsync(Ct))
        {
            var read = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal WHERE seq > @Cursor AND seq <= @ReadUpTo AND type = @type",
                new { status.Cursor, status.ReadUpTo, type = run.Runner.Webhook.JournalTypes[0] });
            // The queue, the events in the workers' hands and the feeder's, and failures whose retry rows are not yet durable.
            read.ShouldBeLessThanOrEqualTo(2 * (options.QueueCapacity + run.Runner.Webhook.MaxConcurrency), $"read but not settled, of {backlog} waiting");
            var rows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @Id", new { run.Runner.Webhook.Id });
            rows.ShouldBeLessThanOrEqualTo(status.FailedCallsSinceStart);
            rows.ShouldBeLessThan(100, $"a retry row per failed call, not per event waiting ({backlog})");
        }

        // The receiver is back: the rate it comes back to is what the failures before the pause left, and every event arrives.
        Volatile.Write(ref down, 0);
        await AdvanceUntilCalledAsync(run, receiver, receiver.Calls.Count);
        await EventTypeDeliveryTests.WaitForAsync(() => Task.FromResult(run.Runner.Status()), s => s.DeliveredSinceStart >= 1);
        run.Runner.Status().Rate.ShouldBeGreaterThanOrEqualTo(run.Runner.Webhook.MaxPerSecond / Math.Pow(2, options.PauseAfterFailures),
            "halved only by the failures before the pause, not by every failed probe down to one call a second");
        for (var step = 0; step < 1000 && receiver.DeliveredIds.Count < backlog + 1; step++)
        {
            run.Clock.Advance(TimeSpan.FromMilliseconds(100)); // a full burst of the rate each step
            await Task.Delay(25, Ct);
        }

        await receiver.WaitAsync(_ => receiver.DeliveredIds.Count == backlog + 1);
    }

    [Fact]
    public async Task An_ordered_webhook_retries_in_place_after_a_backoff_that_doubles_per_attempt()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n <= 2 ? 500 : 200;
        await using var run = await StartAsync(receiver, ordered: true);

        await receiver.WaitAsync(c => c.Count >= 1);
        var first = await run.Clock.TimerAsync(0, due => due >= TimeSpan.FromSeconds(1));
        first.ShouldBeInRange(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), "the first retry: a point in [FirstRetryDelay/2, FirstRetryDelay]");
        receiver.Calls.Count.ShouldBe(1);

        var timers = run.Clock.TimersCreated;
        run.Clock.Advance(first);
        await receiver.WaitAsync(c => c.Count >= 2);
        var second = await run.Clock.TimerAsync(timers, due => due >= TimeSpan.FromSeconds(1));
        second.ShouldBeInRange(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), "the second retry: the ceiling doubled");
        receiver.Calls.Count.ShouldBe(2);

        run.Clock.Advance(second);
        var calls = await receiver.WaitAsync(c => c.Count >= 3);
        calls.Select(c => c.Header("webhook-id")).Distinct().Count().ShouldBe(1, "every retry carries the same webhook-id");
        var status = await EventTypeDeliveryTests.WaitForAsync(() => Task.FromResult(run.Runner.Status()), s => s.DeliveredSinceStart == 1);
        status.FailedCallsSinceStart.ShouldBe(2);
        status.FailuresInARow.ShouldBe(0);
    }

    [Fact]
    public async Task A_Retry_After_holds_the_next_call_for_exactly_as_long_and_halves_the_rate()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n == 1 ? 429 : 200;
        receiver.AnswerHeaders = n => n == 1 ? new Dictionary<string, string> { ["Retry-After"] = "30" } : new Dictionary<string, string>();
        await using var run = await StartAsync(receiver, ordered: true);

        await receiver.WaitAsync(c => c.Count >= 1);
        (await run.Clock.TimerAsync(0, due => due >= TimeSpan.FromSeconds(1))).ShouldBe(TimeSpan.FromSeconds(30), "Retry-After outweighs the backoff");
        var status = run.Runner.Status();
        status.PausedUntil.ShouldBe(run.Clock.GetUtcNow().ToUnixTimeMilliseconds() + 30_000);
        status.Rate.ShouldBe(run.Runner.Webhook.MaxPerSecond / 2.0);

        run.Clock.Advance(TimeSpan.FromSeconds(30));
        await receiver.WaitAsync(c => c.Count >= 2 && c[1].AnsweredStatus == 200);
        (await EventTypeDeliveryTests.WaitForAsync(() => Task.FromResult(run.Runner.Status()), s => s.DeliveredSinceStart == 1)).PausedUntil.ShouldBeNull();
    }

    [Fact]
    public async Task An_unordered_webhook_hands_a_failed_event_to_the_retry_store_and_sends_it_again_when_it_is_due()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Answer = n => n == 1 ? 500 : 200;
        await using var run = await StartAsync(receiver, ordered: false);

        await receiver.WaitAsync(c => c.Count >= 1);
        // Settled once the ledger has the retry: the cursor passes the event although it is not delivered.
        await EventTypeDeliveryTests.WaitForAsync(() => Task.FromResult(run.Runner.Status()), s => s.Cursor == s.ReadUpTo && s.FailedCallsSinceStart == 1);
        receiver.Calls.Count.ShouldBe(1);

        run.Clock.Advance(Options.FirstRetryDelay); // the retry is due within FirstRetryDelay; the idle feed's poll looks again
        var calls = await receiver.WaitAsync(c => c.Count >= 2);
        calls[1].AnsweredStatus.ShouldBe(200);
        calls[1].Header("webhook-id").ShouldBe(calls[0].Header("webhook-id"));
    }
}

/// <summary>A fake clock that also tells which timers were set (a runner's waits are timers on its clock).</summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _timers = [];
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int TimersCreated
    {
        get { lock (_lock) return _timers.Count; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period); // set before it is seen: an Advance after the wait fires it
        lock (_lock)
        {
            _timers.Add(dueTime);
            _created.TrySetResult();
            _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return timer;
    }

    /// <summary>The first timer set after the first <paramref name="after"/> that matches; waits up to 20 s of real time for it.</summary>
    public async Task<TimeSpan> TimerAsync(int after, Func<TimeSpan, bool> match)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task created;
            lock (_lock)
            {
                foreach (var due in _timers.Skip(after))
                {
                    if (match(due)) return due;
                }

                created = _created.Task;
            }

            try
            {
                await created.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching timer was set in 20 s; timers: {string.Join(", ", _timers.Skip(after))}");
            }
        }
    }
}
