using Microsoft.Extensions.Time.Testing;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

public sealed class ReceiverRateTests
{
    private static (ReceiverRate Rate, TokenBucket Bucket) Make(int maxPerSecond)
    {
        var bucket = new TokenBucket(new FakeTimeProvider());
        return (new ReceiverRate(bucket, maxPerSecond), bucket);
    }

    [Fact]
    public void A_slow_down_halves_the_rate_down_to_one_call_a_second()
    {
        var (rate, bucket) = Make(8);
        bucket.Rate.ShouldBe(8);
        rate.SlowDown(0, 8);
        bucket.Rate.ShouldBe(4);
        for (var i = 0; i < 10; i++) rate.SlowDown(0, 8);
        bucket.Rate.ShouldBe(1);
        rate.Factor.ShouldBe(1.0 / 8);
    }

    [Fact]
    public void Successes_raise_the_rate_by_half_at_most_once_a_second_up_to_the_configured_rate()
    {
        var (rate, bucket) = Make(100);
        rate.SlowDown(10_000, 100);
        rate.SlowDown(10_000, 100);
        bucket.Rate.ShouldBe(25);

        rate.OnSuccess(10_500, 100);
        bucket.Rate.ShouldBe(25, "less than a second after the slow-down");
        rate.OnSuccess(11_000, 100);
        bucket.Rate.ShouldBe(37.5);
        rate.OnSuccess(11_999, 100);
        bucket.Rate.ShouldBe(37.5, "less than a second after the last raise");
        rate.OnSuccess(12_000, 100);
        rate.OnSuccess(13_000, 100);
        rate.OnSuccess(14_000, 100);
        bucket.Rate.ShouldBe(100);
        rate.Factor.ShouldBe(1);
    }

    [Fact]
    public void A_new_configured_rate_keeps_the_share_the_receiver_has_now()
    {
        var (rate, bucket) = Make(100);
        rate.SlowDown(0, 100);
        rate.Configure(40);
        bucket.Rate.ShouldBe(20);
    }
}
