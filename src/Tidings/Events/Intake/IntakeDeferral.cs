namespace Tidings.Events.Intake;

/// <summary>
/// Decides whether the intake log's backlog is left waiting for now: while the machine is busy (a burst is being
/// acknowledged), and only while the backlog is neither too old nor too large. The machine is looked at for a short
/// while during which the journal loop holds nothing: measured right after a batch of its rows, the idleness that batch
/// caused (producers waiting for the writer) would read as spare time. One instance per loop: it remembers the last
/// verdict.
/// </summary>
internal sealed class IntakeDeferral(IntakeLogOptions options, TimeProvider time)
{
    /// <summary>How long the machine is looked at before each decision.</summary>
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(50);

    private readonly IdleCpuMeter _idleCpu = new(time);

    /// <summary>The last look found the machine busy.</summary>
    private bool _deferring;

    public async Task<bool> ShouldDeferAsync(long backlogBytes, DateTimeOffset backlogSince, CancellationToken cancellationToken)
    {
        if (options.IntakeMaxDeferral <= TimeSpan.Zero || options.IntakeIdleCpuThreshold <= 0) return false;
        if (backlogBytes >= options.IntakeMaxDeferredBytes) return false;
        if (time.GetUtcNow() - backlogSince >= options.IntakeMaxDeferral) return false;
        if (options.IntakeIdleCpuThreshold >= 1)
        {
            await Task.Delay(Probe, time, cancellationToken); // 1: the machine always counts as busy
            return true;
        }

        if (!await IdleEnoughAsync(cancellationToken))
        {
            _deferring = true;
            return true;
        }

        // Coming out of a deferral takes a second look: a pause of a few milliseconds during a burst (a garbage
        // collection here or in a client) can make one short window look idle.
        if (_deferring && !await IdleEnoughAsync(cancellationToken)) return true;
        _deferring = false;
        return false;
    }

    private async Task<bool> IdleEnoughAsync(CancellationToken cancellationToken) =>
        await _idleCpu.IdleShareOverAsync(Probe, cancellationToken) is not { } idle || idle >= options.IntakeIdleCpuThreshold;
}
