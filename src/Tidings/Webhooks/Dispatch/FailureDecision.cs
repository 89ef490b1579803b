using System.Globalization;

namespace Tidings.Webhooks.Dispatch;

/// <summary>The facts a failed call to a receiver is judged on.</summary>
/// <param name="Result">What the call came to.</param>
/// <param name="FailuresInARow">The webhook's failed calls in a row, this one included.</param>
/// <param name="FailingSinceMs">When that run of failures began (this call's time when it is the first).</param>
/// <param name="NowMs">When this call was made.</param>
/// <param name="AttemptsMade">Calls made with these events, this one included.</param>
/// <param name="FirstAttemptMs">When these events were first sent.</param>
/// <param name="PauseJitter">Where in its range the pause falls, in [0, 1) (random in production, fixed in tests).</param>
/// <param name="BackoffJitter">Where in its range the retry delay falls, in [0, 1).</param>
internal sealed record FailureFacts(
    AttemptResult Result,
    int FailuresInARow,
    long FailingSinceMs,
    long NowMs,
    int AttemptsMade,
    long FirstAttemptMs,
    double PauseJitter,
    double BackoffJitter);

/// <summary>
/// What follows a failed call: either the webhook is disabled (<see cref="DisableReason"/>, shown to users), or it
/// pauses for <see cref="Pause"/> (zero: not at all), halves its rate when <see cref="SlowDown"/>, and its events are
/// tried again after <see cref="RetryDelay"/> while <see cref="WithinRetryWindow"/> (else they are kept as failed).
/// A pure function of the facts, so every rule is tested by a table; the runner applies the result to its state.
/// </summary>
internal sealed record FailureDecision(string? DisableReason, TimeSpan Pause, bool SlowDown, TimeSpan RetryDelay, bool WithinRetryWindow)
{
    public static FailureDecision Decide(FailureFacts facts, DispatchOptions options)
    {
        var result = facts.Result;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(facts.NowMs).ToString("u", CultureInfo.InvariantCulture);
        if (result.Gone) return Disable($"the receiver answered 410 Gone at {at}.");
        if (facts.NowMs - facts.FailingSinceMs >= (long)options.DisableAfter.TotalMilliseconds)
        {
            var since = DateTimeOffset.FromUnixTimeMilliseconds(facts.FailingSinceMs).ToString("u", CultureInfo.InvariantCulture);
            return Disable($"every call has failed since {since} (last: {result.Error ?? "HTTP " + result.Status}).");
        }

        var pause = RetryPolicy.Pause(options, facts.FailuresInARow, facts.PauseJitter);
        if (result.SlowDown)
        {
            // The receiver asked for less: wait as asked (a second when it did not say), besides the halved rate.
            var asked = result.RetryAfter is { } retryAfter ? RetryPolicy.CapRetryAfter(options, retryAfter) : TimeSpan.FromSeconds(1);
            if (asked > pause) pause = asked;
        }

        var retryDelay = RetryPolicy.Backoff(options, facts.AttemptsMade, result.RetryAfter, facts.BackoffJitter);
        var within = RetryPolicy.WithinWindow(options, facts.FirstAttemptMs, facts.NowMs);
        return new FailureDecision(null, pause, result.SlowDown, retryDelay, within);
    }

    private static FailureDecision Disable(string reason) => new(reason, TimeSpan.Zero, false, TimeSpan.Zero, false);
}
