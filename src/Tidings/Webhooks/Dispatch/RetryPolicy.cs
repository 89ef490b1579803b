using System.Globalization;
using System.Net.Http.Headers;

namespace Tidings.Webhooks.Dispatch;

/// <summary>When to try again: exponential backoff with full jitter, never sooner than a receiver's <c>Retry-After</c>.</summary>
internal sealed class RetryPolicy(DispatchOptions options)
{
    /// <summary>
    /// The delay before attempt number <paramref name="attemptsMade"/> + 1: a random point in
    /// [base/2, base] where base = FirstRetryDelay × 2^(attemptsMade − 1), capped at MaxRetryDelay ("equal jitter", so
    /// retries of many deliveries spread out but none comes back almost at once).
    /// </summary>
    public TimeSpan Backoff(int attemptsMade, TimeSpan? retryAfter = null) => Backoff(options, attemptsMade, retryAfter, Random.Shared.NextDouble());

    /// <summary><see cref="Backoff(int, TimeSpan?)"/> with the random point given: <paramref name="jitter"/> in [0, 1).</summary>
    internal static TimeSpan Backoff(DispatchOptions options, int attemptsMade, TimeSpan? retryAfter, double jitter)
    {
        var exponent = Math.Clamp(attemptsMade - 1, 0, 30);
        var ceiling = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + jitter * ceiling / 2);
        if (retryAfter is { } asked)
        {
            var capped = CapRetryAfter(options, asked);
            if (capped > delay) delay = capped;
        }

        return delay;
    }

    /// <summary>Whether a delivery first tried at <paramref name="firstAttemptMs"/> is still within the retry window at <paramref name="nowMs"/>.</summary>
    public bool WithinWindow(long firstAttemptMs, long nowMs) => WithinWindow(options, firstAttemptMs, nowMs);

    internal static bool WithinWindow(DispatchOptions options, long firstAttemptMs, long nowMs) => nowMs - firstAttemptMs < (long)options.RetryWindow.TotalMilliseconds;

    /// <summary>How long a webhook pauses after <paramref name="failuresInARow"/> failed calls (0 below the threshold).</summary>
    public TimeSpan Pause(int failuresInARow) => Pause(options, failuresInARow, Random.Shared.NextDouble());

    /// <summary><see cref="Pause(int)"/> with the random point given: <paramref name="jitter"/> in [0, 1).</summary>
    internal static TimeSpan Pause(DispatchOptions options, int failuresInARow, double jitter)
    {
        if (failuresInARow < options.PauseAfterFailures) return TimeSpan.Zero;
        var exponent = Math.Clamp(failuresInARow - options.PauseAfterFailures, 0, 20);
        var ms = Math.Min(500 * Math.Pow(2, exponent), options.MaxPause.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms / 2 + jitter * ms / 2);
    }

    /// <summary>A receiver's <c>Retry-After</c>, but never longer than <see cref="DispatchOptions.MaxRetryAfter"/>.</summary>
    internal static TimeSpan CapRetryAfter(DispatchOptions options, TimeSpan asked) => asked > options.MaxRetryAfter ? options.MaxRetryAfter : asked;

    /// <summary>Parses <c>Retry-After</c>: delta seconds or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    /// <summary>Parses a raw <c>Retry-After</c> value (for tests and logs).</summary>
    public static TimeSpan? RetryAfter(string? value, DateTimeOffset now) =>
        value is null ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : RetryConditionHeaderValue.TryParse(value, out var parsed) ? RetryAfter(parsed, now) : null;
}
