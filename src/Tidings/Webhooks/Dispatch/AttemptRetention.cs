using Dapper;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Removes attempts, and delivered or failed deliveries, older than <see cref="DispatchOptions.AttemptRetentionDays"/>:
/// a sweep every <see cref="DispatchOptions.AttemptSweepInterval"/>, in steps the ledger runs after its writes. A step
/// deletes at most <see cref="DispatchOptions.AttemptRetentionBatchSize"/> rows of each table, and the next waits
/// <see cref="DispatchOptions.AttemptRetentionYieldFactor"/> times as long as it took: one large delete would hold the
/// store's writer, and with it the journal and the ledger, for seconds.
/// </summary>
internal sealed class AttemptRetention(IStorage storage, TimeProvider time, DispatchOptions options)
{
    private long _lastSweep;

    /// <summary>While a sweep is under way (its last step was full), when its next step may run (Unix ms).</summary>
    private long? _nextStep;

    /// <summary>Runs a step if one is due; returns the rows it deleted (0 when none was due).</summary>
    public async Task<int> StepIfDueAsync()
    {
        if (options.AttemptRetentionDays == 0) return 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_nextStep is { } next)
        {
            if (now < next) return 0;
        }
        else
        {
            if (now - _lastSweep < (long)options.AttemptSweepInterval.TotalMilliseconds) return 0;
            _lastSweep = now;
        }

        _nextStep = null; // a step that fails ends the sweep; the next starts after the interval
        var cutoff = now - options.AttemptRetentionDays * 86_400_000L;
        var batch = options.AttemptRetentionBatchSize;
        var started = time.GetTimestamp();
        var (attempts, deliveries) = await storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var a = await w.Connection.ExecuteAsync(
                "DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted < @cutoff ORDER BY attempted LIMIT @batch)",
                new { cutoff, batch }, w.Transaction);
            var d = await w.Connection.ExecuteAsync(
                "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND last_attempt < @cutoff ORDER BY id LIMIT @batch)",
                new { cutoff, batch }, w.Transaction);
            return (a, d);
        });
        if (attempts >= batch || deliveries >= batch)
        {
            var pause = time.GetElapsedTime(started) * options.AttemptRetentionYieldFactor;
            _nextStep = now + (long)Math.Ceiling(pause.TotalMilliseconds);
        }

        return attempts + deliveries;
    }
}
