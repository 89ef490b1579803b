using System.Diagnostics;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// What a receiver saw for the events numbered [first, first + count): when each was first acknowledged (2xx), how many
/// calls came and failed, and the times of the first call and the last acknowledgement (Stopwatch ticks).
/// </summary>
public sealed class Tally(int first, int count, int warm)
{
    private readonly long[] _deliveredAt = new long[count];
    private int _delivered;
    private long _calls;
    private long _failed;
    private long _duplicates;
    private long _firstCall;
    private long _lastCall;
    private long _lastDelivery;
    private readonly int _warm = warm;
    private long _warmAt;
    private long _mark;
    private long _firstDeliveryAfterMark;
    private int _deliveredAtMark;

    public int First => first;

    public int Count => count;

    public int Delivered => Volatile.Read(ref _delivered);

    public long Calls => Interlocked.Read(ref _calls);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events acknowledged again after they had already been acknowledged once.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long FirstCall => Interlocked.Read(ref _firstCall);

    public long LastCall => Interlocked.Read(ref _lastCall);

    public long LastDelivery => Interlocked.Read(ref _lastDelivery);

    public long FirstDeliveryAfterMark => Interlocked.Read(ref _firstDeliveryAfterMark);

    public int DeliveredAtMark => Volatile.Read(ref _deliveredAtMark);

    /// <summary>When event <paramref name="n"/> (absolute number) was first acknowledged, or 0.</summary>
    public long DeliveredAt(int n) => Volatile.Read(ref _deliveredAt[n - first]);

    public void Record(int sequence, long now, bool ok)
    {
        // Calls for events outside the tally (a backlog longer than this measurement) are not counted at all.
        var index = sequence - first;
        if ((uint)index >= (uint)count) return;
        Interlocked.CompareExchange(ref _firstCall, now, 0);
        Interlocked.Increment(ref _calls);
        InterlockedMax(ref _lastCall, now);
        if (!ok)
        {
            Interlocked.Increment(ref _failed);
            return;
        }

        if (Interlocked.CompareExchange(ref _deliveredAt[index], now, 0) != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        if (Interlocked.Increment(ref _delivered) == _warm) Interlocked.Exchange(ref _warmAt, now);
        InterlockedMax(ref _lastDelivery, now);
        if (Interlocked.Read(ref _mark) is > 0 and var mark && now > mark) Interlocked.CompareExchange(ref _firstDeliveryAfterMark, now, 0);
    }

    /// <summary>Remembers now (e.g. the receiver coming back), to time what follows.</summary>
    public void Mark()
    {
        Volatile.Write(ref _deliveredAtMark, Delivered);
        Interlocked.Exchange(ref _mark, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Events per second in the steady state: from the moment a tenth had arrived to the last acknowledgement. A freshly
    /// started server compiles its hot code in the first seconds (tiered JIT); a server that has been running has not.
    /// </summary>
    public double DeliveriesPerSecond => Interlocked.Read(ref _warmAt) is > 0 and var warmAt && Delivered > _warm
        ? (Delivered - _warm) / Seconds(warmAt, LastDelivery)
        : Delivered / Seconds(FirstCall, LastDelivery);

    /// <summary>Events per second from the first call to the last acknowledgement.</summary>
    public double OverallPerSecond => Delivered / Seconds(FirstCall, LastDelivery);

    /// <summary>How many events the steady-state rate leaves out.</summary>
    public int WarmUp => _warm;

    public static double Seconds(long from, long to) => Math.Max(1e-9, (to - from) / (double)Stopwatch.Frequency);

    /// <summary>Waits until every event arrived; false when nothing new arrived for <paramref name="stall"/> or <paramref name="timeout"/> passed.</summary>
    public async Task<bool> WaitAllAsync(TimeSpan timeout, TimeSpan stall)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var lastSeen = -1;
        var lastChange = Stopwatch.GetTimestamp();
        while (Delivered < count)
        {
            var now = Stopwatch.GetTimestamp();
            if (Delivered != lastSeen)
            {
                lastSeen = Delivered;
                lastChange = now;
            }

            if (now > deadline || now - lastChange > stall.TotalSeconds * Stopwatch.Frequency) return false;
            await Task.Delay(20);
        }

        return true;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}
