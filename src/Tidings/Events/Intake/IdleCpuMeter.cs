namespace Tidings.Events.Intake;

/// <summary>
/// The share of the machine's CPU time that is idle, from the kernel's counters in <c>/proc/stat</c>: the journal's
/// intake log defers its background work while the machine is busy. Null where the counters are not available (not
/// Linux).
/// </summary>
internal sealed class IdleCpuMeter(TimeProvider time)
{
    private const string StatFile = "/proc/stat";
    private readonly bool _available = File.Exists(StatFile);

    /// <summary>The idle share over the next <paramref name="window"/> (spent waiting, so nothing of ours is counted).</summary>
    public async Task<double?> IdleShareOverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        if (!_available) return null;
        var before = Sample();
        await Task.Delay(window, time, cancellationToken);
        var after = Sample();
        var total = after.Total - before.Total;
        return total > 0 ? (double)(after.Idle - before.Idle) / total : 1;
    }

    private static (long Idle, long Total) Sample()
    {
        // "cpu  user nice system idle iowait irq softirq steal …" in clock ticks since boot.
        var line = File.ReadLines(StatFile).First();
        long idle = 0, total = 0;
        var i = 0;
        foreach (var part in line[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var ticks = long.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (i is 3 or 4) idle += ticks; // idle, iowait
            if (i < 8) total += ticks;      // guest time is already counted in user
            i++;
        }

        return (idle, total);
    }
}
