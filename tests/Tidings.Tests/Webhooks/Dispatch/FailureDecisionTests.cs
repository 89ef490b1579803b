using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// The decision after a failed call, rule by rule. Jitter 0 puts every pause and retry delay at the low end of its
/// range (half its ceiling), so the expected values are exact.
/// </summary>
public sealed class FailureDecisionTests
{
    private const long Second = 1000, Minute = 60 * Second, Hour = 60 * Minute, Day = 24 * Hour;

    // 2024-05-06 07:08:09.123 UTC: the reasons show it to the second.
    private static readonly long Now = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly DispatchOptions Options = new()
    {
        PauseAfterFailures = 5,
        MaxPause = TimeSpan.FromSeconds(5),
        DisableAfter = TimeSpan.FromDays(3),
        MaxRetryAfter = TimeSpan.FromHours(1),
        FirstRetryDelay = TimeSpan.FromSeconds(10),
        MaxRetryDelay = TimeSpan.FromHours(1),
        RetryWindow = TimeSpan.FromHours(24),
    };

    private static AttemptResult Result(int? status, string? error = null, long? retryAfterMs = null) =>
        new(status, 5, error, null, new Dictionary<string, string>(), retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, null);

    private static FailureFacts Facts(AttemptResult result, int failures = 1, long failingForMs = 0, int attemptsMade = 1, long firstAttemptAgoMs = 0,
        double pauseJitter = 0, double backoffJitter = 0) =>
        new(result, failures, Now - failingForMs, Now, attemptsMade, Now - firstAttemptAgoMs, pauseJitter, backoffJitter);

    /// <summary>Case, status (null: no response), error, Retry-After (ms), failures in a row, failing for (ms), expected: disable reason, pause (ms), slow down.</summary>
    public static TheoryData<string, int?, string?, long?, int, long, string?, long, bool> Cases() => new()
    {
        // 410 Gone disables at once, whatever else holds.
        { "410 on the first failure", 410, null, null, 1, 0, "the receiver answered 410 Gone at 2024-05-06 07:08:09Z.", 0, false },
        { "410 with a Retry-After", 410, null, 30 * Second, 1, 0, "the receiver answered 410 Gone at 2024-05-06 07:08:09Z.", 0, false },
        { "410 while failing past DisableAfter", 410, null, null, 9, 4 * Day, "the receiver answered 410 Gone at 2024-05-06 07:08:09Z.", 0, false },

        // Failing for DisableAfter or longer disables, naming when the failures began and the last one.
        { "500 failing longer than DisableAfter", 500, null, null, 40, 3 * Day + 1, "every call has failed since 2024-05-03 07:08:09Z (last: HTTP 500).", 0, false },
        { "timeout failing longer than DisableAfter", null, "Timeout after 10000 ms", null, 40, 4 * Day, "every call has failed since 2024-05-02 07:08:09Z (last: Timeout after 10000 ms).", 0, false },
        { "429 failing longer than DisableAfter: no slow-down", 429, null, 30 * Second, 40, 4 * Day, "every call has failed since 2024-05-02 07:08:09Z (last: HTTP 429).", 0, false },
        { "500 failing exactly DisableAfter", 500, null, null, 40, 3 * Day, "every call has failed since 2024-05-03 07:08:09Z (last: HTTP 500).", 0, false },
        { "500 failing 1 ms less than DisableAfter", 500, null, null, 40, 3 * Day - 1, null, 2500, false },

        // 5xx and no response: no pause below PauseAfterFailures, then 500 ms doubling per failure up to MaxPause.
        { "500, 1 failure", 500, null, null, 1, 0, null, 0, false },
        { "500, 2 failures", 500, null, null, 2, 0, null, 0, false },
        { "500, 4 failures", 500, null, null, 4, 0, null, 0, false },
        { "500, 5 failures", 500, null, null, 5, 0, null, 250, false },
        { "502, 6 failures", 502, null, null, 6, 0, null, 500, false },
        { "500, 7 failures", 500, null, null, 7, 0, null, 1000, false },
        { "500, 50 failures: MaxPause", 500, null, null, 50, 0, null, 2500, false },
        { "timeout, 1 failure", null, "Timeout after 10000 ms", null, 1, 0, null, 0, false },
        { "timeout, 6 failures", null, "Timeout after 10000 ms", null, 6, 0, null, 500, false },
        { "500 with a Retry-After does not pause", 500, null, 30 * Second, 1, 0, null, 0, false },

        // 429/503 slow down and wait as asked: a second without Retry-After, at most MaxRetryAfter, never less than the policy.
        { "429 without Retry-After", 429, null, null, 1, 0, null, 1 * Second, true },
        { "503 without Retry-After", 503, null, null, 1, 0, null, 1 * Second, true },
        { "429 with Retry-After 30 s", 429, null, 30 * Second, 1, 0, null, 30 * Second, true },
        { "503 with Retry-After 30 s", 503, null, 30 * Second, 2, 0, null, 30 * Second, true },
        { "429 with Retry-After 0", 429, null, 0, 1, 0, null, 0, true },
        { "429 with Retry-After above MaxRetryAfter", 429, null, 3 * Hour, 1, 0, null, 1 * Hour, true },
        { "429 with Retry-After shorter than the policy pause", 429, null, 100, 7, 0, null, 1000, true },
        { "503 without Retry-After, policy pause longer than a second", 503, null, null, 50, 0, null, 2500, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_failed_call_is_decided_by_the_table(string @case, int? status, string? error, long? retryAfterMs, int failures, long failingForMs,
        string? reason, long pauseMs, bool slowDown)
    {
        var decision = FailureDecision.Decide(Facts(Result(status, error, retryAfterMs), failures, failingForMs), Options);

        decision.DisableReason.ShouldBe(reason, @case);
        decision.Pause.ShouldBe(TimeSpan.FromMilliseconds(pauseMs), @case);
        decision.SlowDown.ShouldBe(slowDown, @case);
    }

    /// <summary>Attempts made, Retry-After (ms), expected retry delay (ms).</summary>
    public static TheoryData<int, long?, long> RetryDelays() => new()
    {
        { 1, null, 5 * Second },                 // FirstRetryDelay, low end
        { 2, null, 10 * Second },                // doubles
        { 3, null, 20 * Second },
        { 20, null, 30 * Minute },               // MaxRetryDelay, low end
        { 1, 2 * Minute, 2 * Minute },           // Retry-After longer than the backoff wins
        { 1, 1 * Second, 5 * Second },           // shorter does not
        { 1, 3 * Hour, 1 * Hour },               // capped at MaxRetryAfter
    };

    [Theory]
    [MemberData(nameof(RetryDelays))]
    public void A_failed_delivery_is_retried_after_the_backoff_or_its_Retry_After(int attemptsMade, long? retryAfterMs, long delayMs)
    {
        var decision = FailureDecision.Decide(Facts(Result(500, retryAfterMs: retryAfterMs), attemptsMade: attemptsMade), Options);

        decision.RetryDelay.ShouldBe(TimeSpan.FromMilliseconds(delayMs));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(24 * Hour - 1, true)]
    [InlineData(24 * Hour, false)]
    public void A_delivery_is_retried_only_within_the_retry_window(long firstAttemptAgoMs, bool within)
    {
        FailureDecision.Decide(Facts(Result(500), firstAttemptAgoMs: firstAttemptAgoMs), Options).WithinRetryWindow.ShouldBe(within);
    }

    [Fact]
    public void Jitter_places_the_pause_and_the_retry_delay_between_half_their_ceiling_and_the_ceiling()
    {
        var decision = FailureDecision.Decide(Facts(Result(500), failures: 5, pauseJitter: 0.5, backoffJitter: 0.5), Options);

        decision.Pause.ShouldBe(TimeSpan.FromMilliseconds(375));
        decision.RetryDelay.ShouldBe(TimeSpan.FromMilliseconds(7500));
    }
}
