using Microsoft.Extensions.Time.Testing;
using Tidings.RateLimiting;

namespace Tidings.Tests.RateLimiting;

/// <summary>One refusal log line per caller and window.</summary>
public sealed class RefusalLogGateTests
{
    [Fact]
    public void A_caller_is_logged_once_per_window_and_again_in_the_next()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new RefusalLogGate(time, TimeSpan.FromMinutes(1));
        var token = new CallerKey(1, 5, 0);
        var user = new CallerKey(1, 0, 9);

        gate.FirstInWindow(token).ShouldBeTrue();
        gate.FirstInWindow(token).ShouldBeFalse();
        gate.FirstInWindow(user).ShouldBeTrue("another caller has its own line");
        time.Advance(TimeSpan.FromSeconds(59));
        gate.FirstInWindow(token).ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        gate.FirstInWindow(token).ShouldBeTrue("a new window logs again");
    }
}
