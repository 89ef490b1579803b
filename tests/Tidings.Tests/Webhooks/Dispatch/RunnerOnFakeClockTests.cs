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
    private async Task<Running> StartAsync(Receiver receiver, bool ordered)
    {
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var id = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database, ordered, signing = "none" });
        var head = app.Services.GetRequiredService<JournalHead>();
        var cursor = await head.RefreshAsync(Ct);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        await EventTypeDeliveryTests.WaitForAsync(() => head.RefreshAsync(Ct), seq => seq > cursor);

        var storage = app.Services.GetRequiredService<IStorage>();
        WebhookRecord record;
        await using (var c = await storage.OpenReadAsync(Ct))
        {
            record = await c.QuerySingleAsync<WebhookRecord>($"SELECT {WebhookStore.Columns} FROM webhooks WHERE id = @id", new { id });
        }

        var clock = new WatchedClock(DateTimeOffset.UtcNow);
        var services = new RunnerServices(storage, app.Services.GetRequiredService<DeliveryLedger>(), app.Services.GetRequiredService<WebhookSender>(),
            app.Services.GetRequiredService<WebhookPayloads>(), head, app.Services.GetRequiredService<JournalReader>(), Options, clock, new SemaphoreSlim(4), NullLogger.Instance,
            app.Services.GetRequiredService<WebhookMetrics>());
        var runner = new WebhookRunner(ActiveWebhook.From(record, [DeliveryApp.Domain]), cursor, services);
        runner.Start();
        return new Running(runner, clock);
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
