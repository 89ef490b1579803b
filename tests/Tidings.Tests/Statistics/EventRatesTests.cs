using Microsoft.Extensions.Time.Testing;
using Tidings.Statistics;

namespace Tidings.Tests.Statistics;

/// <summary>The in-memory events per second behind the live chart: per account, per second, for the last minute or so.</summary>
public sealed class EventRatesTests
{
    [Fact]
    public void Counts_are_kept_per_account_and_second_and_forgotten_after_the_ring_comes_round()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-10T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var rates = new EventRates(time);
        var start = rates.Now;

        rates.Add(new Dictionary<long, int> { [1] = 3, [2] = 1 });
        rates.Add(new Dictionary<long, int> { [1] = 2 });
        time.Advance(TimeSpan.FromSeconds(1));
        rates.Add(new Dictionary<long, int> { [1] = 7 });

        rates.In(1, start).ShouldBe(5);
        rates.In(2, start).ShouldBe(1);
        rates.In(1, start + 1).ShouldBe(7);
        rates.In(3, start).ShouldBe(0, "an account without events");

        time.Advance(TimeSpan.FromSeconds(EventRates.Seconds - 1));
        rates.Add(new Dictionary<long, int> { [1] = 4 }); // the slot of the first second, a ring later
        rates.In(1, start).ShouldBe(0, "that second is gone");
        rates.In(1, start + EventRates.Seconds).ShouldBe(4);
    }
}
