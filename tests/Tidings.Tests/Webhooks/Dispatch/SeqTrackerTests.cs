using Shouldly;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

public sealed class SeqTrackerTests
{
    [Fact]
    public void The_safe_cursor_stays_before_the_oldest_unsettled_record_whatever_order_records_settle_in()
    {
        var tracker = new SeqTracker(10);
        foreach (var seq in new long[] { 11, 13, 14, 20 }) tracker.Open(seq);
        tracker.ReadUpTo(25);
        tracker.SafeCursor.ShouldBe(10);

        tracker.Settle(14);
        tracker.Settle(20);
        tracker.SafeCursor.ShouldBe(10);
        tracker.OpenCount.ShouldBe(2);

        tracker.Settle(11);
        tracker.SafeCursor.ShouldBe(12); // 13 is still open
        tracker.Settle(13);
        tracker.SafeCursor.ShouldBe(25); // all settled: as far as was read
        tracker.OpenCount.ShouldBe(0);
    }

    [Fact]
    public void Settling_a_record_twice_or_one_never_opened_changes_nothing()
    {
        var tracker = new SeqTracker(0);
        tracker.Open(1);
        tracker.Open(5);
        tracker.Settle(3); // never opened (a record the webhook does not match)
        tracker.Settle(1);
        tracker.Settle(1);
        tracker.SafeCursor.ShouldBe(4);
        tracker.OpenCount.ShouldBe(1);
        tracker.Settle(9); // beyond what was read
        tracker.SafeCursor.ShouldBe(4);
    }

    [Fact]
    public void Records_must_be_opened_in_journal_order()
    {
        var tracker = new SeqTracker(0);
        tracker.Open(7);
        Should.Throw<InvalidOperationException>(() => tracker.Open(7));
        Should.Throw<InvalidOperationException>(() => tracker.Open(6));
        tracker.SafeCursor.ShouldBe(6);
    }

    [Fact]
    public void A_long_run_of_records_settled_in_order_and_out_of_order_ends_with_the_cursor_at_the_read_position()
    {
        var tracker = new SeqTracker(0);
        for (long seq = 1; seq <= 20_000; seq++) tracker.Open(seq * 2);
        tracker.ReadUpTo(40_001);
        for (long seq = 20_000; seq >= 10_001; seq--) tracker.Settle(seq * 2); // the newer half first
        tracker.SafeCursor.ShouldBe(1);
        for (long seq = 1; seq <= 10_000; seq++) tracker.Settle(seq * 2);
        tracker.OpenCount.ShouldBe(0);
        tracker.SafeCursor.ShouldBe(40_001);
    }
}
