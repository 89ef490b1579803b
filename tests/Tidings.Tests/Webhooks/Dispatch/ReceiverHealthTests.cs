using Microsoft.Extensions.Time.Testing;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// A receiver's health and flow control on a fake clock: when calls pause and resume, how long a pause may last, a
/// Retry-After, the rate's slow-down and recovery, and when a run of failures ends. Jitter is fixed, so every pause is
/// exact: at jitter 0 a pause is half its ceiling (500 ms doubling per failure past the threshold, at most MaxPause).
/// </summary>
public sealed class ReceiverHealthTests
{
    private static readonly DispatchOptions Options = new()
    {
        PauseAfterFailures = 3,
        MaxPause = TimeSpan.FromSeconds(2),
        DisableAfter = TimeSpan.FromMinutes(1),
        MaxRetryAfter = TimeSpan.FromHours(1),
        FirstRetryDelay = TimeSpan.FromSeconds(10),
        MaxRetryDelay = TimeSpan.FromHours(1),
        RetryWindow = TimeSpan.FromHours(24),
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private ReceiverHealth Health(int maxPerSecond = 10, long? failingSinceMs = null, double jitter = 0) =>
        new(Options, _time, maxPerSecond, failingSinceMs, () => jitter);

    private static AttemptResult Answer(int? status, TimeSpan? retryAfter = null) =>
        new(status, 5, status is null ? "Connection failed" : null, null, new Dictionary<string, string>(), retryAfter, null);

    private FailureDecision Fail(ReceiverHealth health, int? status = 500, TimeSpan? retryAfter = null, int maxPerSecond = 10) =>
        health.OnFailure(Answer(status, retryAfter), Now, 1, Now, maxPerSecond);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_go_on_below_the_failure_threshold_and_pause_when_it_is_reached()
    {
        using var health = Health();
        Fail(health);
        Fail(health);
        health.IsPaused.ShouldBeFalse();
        (await health.WaitForTurnAsync(Ct)).ShouldBeFalse("below the threshold a call is no probe");

        Fail(health);
        health.FailuresInARow.ShouldBe(3);
        health.PausedUntilMs.ShouldBe(Now + 250);
        var turn = health.WaitForTurnAsync(Ct).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(249));
        turn.IsCompleted.ShouldBeFalse("the pause is not over");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await turn.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBeTrue("after the pause, a failing receiver gets a probe");
        health.EndProbe();
        health.IsPaused.ShouldBeFalse();
    }

    [Fact]
    public void Each_failure_past_the_threshold_doubles_the_pause_up_to_MaxPause()
    {
        using var health = Health();
        var pauses = new List<long>();
        for (var i = 1; i <= 8; i++)
        {
            Fail(health);
            pauses.Add((health.PausedUntilMs ?? Now) - Now);
            _time.Advance(TimeSpan.FromSeconds(5)); // past any pause
        }

        pauses.ShouldBe([0, 0, 250, 500, 1000, 1000, 1000, 1000]);
    }

    [Fact]
    public void A_pause_at_the_top_of_its_range_still_stays_within_MaxPause()
    {
        using var health = Health(jitter: 0.999);
        for (var i = 0; i < 30; i++) Fail(health);
        (health.PausedUntilMs! - Now).Value.ShouldBeInRange(1900, 2000);
    }

    [Fact]
    public async Task After_a_pause_one_probe_at_a_time_is_let_through_until_a_call_succeeds()
    {
        using var health = Health(maxPerSecond: 1000); // tokens to spare: only the probe holds calls back
        for (var i = 0; i < 3; i++) Fail(health, maxPerSecond: 1000);
        Task<bool>[] turns = [health.WaitForTurnAsync(Ct).AsTask(), health.WaitForTurnAsync(Ct).AsTask()];
        _time.Advance(TimeSpan.FromMilliseconds(250));

        var probe = await Task.WhenAny(turns).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        (await probe).ShouldBeTrue();
        var other = turns.Single(t => t != probe);
        other.IsCompleted.ShouldBeFalse("a probe is in flight");
        health.OnSuccess(1000).ShouldBeTrue("the webhook had paused for its failures");
        health.EndProbe();
        (await other.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBeTrue("it began waiting while the receiver was failing");
        health.EndProbe();

        health.FailuresInARow.ShouldBe(0);
        (await health.WaitForTurnAsync(Ct)).ShouldBeFalse("a healthy receiver takes calls in parallel again");
        health.OnSuccess(1000).ShouldBeFalse("nothing was paused");
    }

    [Fact]
    public async Task A_failed_probe_holds_the_calls_waiting_behind_it_until_its_own_pause_has_passed()
    {
        using var health = Health(maxPerSecond: 1000);
        for (var i = 0; i < 3; i++) Fail(health, maxPerSecond: 1000);
        Task<bool>[] turns = [health.WaitForTurnAsync(Ct).AsTask(), health.WaitForTurnAsync(Ct).AsTask()];
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var probe = await Task.WhenAny(turns).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        (await probe).ShouldBeTrue();
        var other = turns.Single(t => t != probe);

        Fail(health, maxPerSecond: 1000); // the probe failed: the fourth failure pauses for 500 ms (jitter 0)
        health.EndProbe();
        await Task.Delay(200, Ct);
        other.IsCompleted.ShouldBeFalse("the next probe waits out the pause the failed one brought");
        _time.Advance(TimeSpan.FromMilliseconds(500));
        (await other.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBeTrue();
        health.EndProbe();
    }

    [Fact]
    public async Task A_Retry_After_holds_every_call_for_as_long_as_asked()
    {
        using var health = Health();
        var decision = Fail(health, 429, TimeSpan.FromSeconds(30));
        decision.Pause.ShouldBe(TimeSpan.FromSeconds(30));
        health.PausedUntilMs.ShouldBe(Now + 30_000);

        var turn = health.WaitForTurnAsync(Ct).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(29_999));
        turn.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await turn.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBeFalse("one failure is no reason to probe");
    }

    [Fact]
    public void A_shorter_pause_does_not_cut_a_longer_one_short()
    {
        using var health = Health();
        Fail(health, 503, TimeSpan.FromSeconds(30));
        var until = health.PausedUntilMs;
        Fail(health, 503, TimeSpan.FromSeconds(2));
        health.PausedUntilMs.ShouldBe(until);
    }

    [Fact]
    public void A_slow_down_halves_the_rate_and_successes_raise_it_back_at_most_once_a_second()
    {
        using var health = Health(maxPerSecond: 8);
        health.Rate.ShouldBe(8);
        Fail(health, 429, maxPerSecond: 8);
        health.Rate.ShouldBe(4);
        Fail(health, 503, maxPerSecond: 8);
        health.Rate.ShouldBe(2);
        Fail(health, 500, maxPerSecond: 8);
        health.Rate.ShouldBe(2, "only 429 and 503 ask for less");

        _time.Advance(TimeSpan.FromMilliseconds(999));
        health.OnSuccess(8);
        health.Rate.ShouldBe(2, "less than a second after the slow-down");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        health.OnSuccess(8);
        health.Rate.ShouldBe(3);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            health.OnSuccess(8);
        }

        health.Rate.ShouldBe(8);
    }

    [Fact]
    public void Only_the_failures_up_to_the_pause_halve_the_rate_not_the_failed_probes_after_it()
    {
        using var health = Health(maxPerSecond: 64);
        for (var i = 0; i < Options.PauseAfterFailures; i++) Fail(health, 503, maxPerSecond: 64);
        health.Rate.ShouldBe(64 >> Options.PauseAfterFailures);
        health.IsPaused.ShouldBeTrue();
        for (var probe = 0; probe < 10; probe++)
        {
            _time.Advance(Options.MaxPause);
            Fail(health, 503, maxPerSecond: 64);
        }

        health.Rate.ShouldBe(64 >> Options.PauseAfterFailures, "a failed probe says the receiver is still down, not that it wants less");
    }

    [Fact]
    public void Failures_for_DisableAfter_disable_the_webhook_but_a_success_in_between_starts_the_count_again()
    {
        using var failing = Health();
        Fail(failing).DisableReason.ShouldBeNull();
        _time.Advance(TimeSpan.FromSeconds(50));
        failing.OnSuccess(10);
        _time.Advance(TimeSpan.FromSeconds(20));
        Fail(failing).DisableReason.ShouldBeNull("the failures began again 0 s ago, not 70 s ago");
        _time.Advance(TimeSpan.FromSeconds(60));
        Fail(failing).DisableReason.ShouldNotBeNull("every call has failed for a minute");
    }

    [Fact]
    public void A_run_of_failures_stored_before_a_restart_still_counts()
    {
        using var health = Health(failingSinceMs: Now - 61_000);
        Fail(health).DisableReason.ShouldNotBeNull();
    }

    [Fact]
    public async Task Failures_reported_by_many_workers_at_once_are_all_counted()
    {
        using var health = Health();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++) Fail(health);
        }, Ct));
        await Task.WhenAll(workers);
        health.FailuresInARow.ShouldBe(40_000);
    }
}
