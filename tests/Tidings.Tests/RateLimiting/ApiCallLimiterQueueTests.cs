using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tidings.RateLimiting;
using Tidings.Rest;

namespace Tidings.Tests.RateLimiting;

/// <summary><c>RateLimiting:QueueLimit</c>: calls over the limit wait, up to the queue's size; beyond it they are refused.</summary>
public sealed class ApiCallLimiterQueueTests
{
    private static ApiCallLimiter Limiter(int queueLimit)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var options = Options.Create(new RateLimitingOptions { Enabled = true, PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = queueLimit });
        return new ApiCallLimiter(options, TimeProvider.System, new RateLimitMetrics(meters), NullLogger<ApiCallLimiter>.Instance);
    }

    [Fact]
    public async Task A_call_over_the_limit_waits_in_the_queue_and_one_more_is_refused()
    {
        using var limiter = Limiter(queueLimit: 1);
        var caller = new Caller(1, 7, true, "t");
        await limiter.AdmitAsync(caller, "rest", TestContext.Current.CancellationToken);

        using var waiting = new CancellationTokenSource();
        var queued = limiter.AdmitAsync(caller, "rest", waiting.Token).AsTask();
        queued.IsCompleted.ShouldBeFalse("the second call waits for the next window");
        var refused = await Should.ThrowAsync<ApiCallRefusedException>(limiter.AdmitAsync(caller, "rest", TestContext.Current.CancellationToken).AsTask());
        refused.Status.ShouldBe(400);
        refused.RetryAfterSeconds.ShouldBeGreaterThanOrEqualTo(1);

        await limiter.AdmitAsync(new Caller(1, 8, true, "other"), "rest", TestContext.Current.CancellationToken);
        waiting.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(queued);
    }

    [Fact]
    public async Task Without_a_queue_a_call_over_the_limit_is_refused_at_once()
    {
        using var limiter = Limiter(queueLimit: 0);
        var caller = new Caller(1, 0, true, UserId: 3);
        await limiter.AdmitAsync(caller, "soap", TestContext.Current.CancellationToken);
        var refused = await Should.ThrowAsync<ApiCallRefusedException>(limiter.AdmitAsync(caller, "soap", TestContext.Current.CancellationToken).AsTask());
        refused.Message.ShouldBe("Rate limit exceeded: at most 1 call per 3600 seconds for this user; try again in 3600 seconds");
    }
}
