namespace Tidings.Journal;

/// <summary>How a retention rule walks the journal: window size, the wait between sweeps, how much it gives way, and when it first sweeps after start.</summary>
internal readonly record struct RetentionPace(int BatchSize, TimeSpan Interval, double YieldFactor, TimeSpan FirstDelay);

/// <summary>
/// The sweep every retention rule shares: it walks the journal in bounded windows of seq (each delete its own short
/// transaction), never at or beyond the lowest consumer cursor (<see cref="JournalRetention"/>), and pauses after each
/// window for as long as it took (times <see cref="RetentionPace.YieldFactor"/>) so ingest is not queued behind one
/// delete after another. A rule says which types, how long they are kept and how to log its progress.
/// </summary>
internal abstract class RetentionSweeper(JournalRetention journal, TimeProvider timeProvider) : BackgroundService, IRetentionRule
{
    /// <summary>
    /// Where the next sweep starts: every row before it was old enough when looked at, so nothing there is left to
    /// delete. A window that also held newer rows does not move it, so those are looked at again later.
    /// </summary>
    private long _position;

    public abstract string Setting { get; }

    public abstract IReadOnlyList<string> Types { get; }

    public abstract TimeSpan? KeepFor { get; }

    protected abstract RetentionPace Pace { get; }

    protected abstract void LogProgress(long deleted, TimeSpan keepFor, long seq);

    protected abstract void LogFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Pace.FirstDelay, timeProvider, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }

                await Task.Delay(Pace.Interval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; returns the number of journal records deleted.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        if (KeepFor is not { } keep) return 0;
        var pace = Pace;
        var types = Types;
        var cutoff = timeProvider.GetUtcNow().Subtract(keep).ToUnixTimeMilliseconds();
        var limit = await journal.LimitAsync(cancellationToken);
        var position = Math.Min(Interlocked.Read(ref _position), limit);
        long deleted = 0;
        var allOld = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = timeProvider.GetTimestamp();
            var window = await journal.WindowAsync(position, limit, pace.BatchSize, cancellationToken);

            // Records are appended roughly in time order: a window with nothing old enough ends the sweep.
            if (window.End is not { } end || window.Oldest >= cutoff) break;
            deleted += await journal.DeleteAsync(position, end, cutoff, types, cancellationToken);
            if (allOld && window.Newest < cutoff) Interlocked.Exchange(ref _position, end);
            else allOld = false;
            position = end;
            LogProgress(deleted, keep, end);

            var pause = timeProvider.GetElapsedTime(started) * pace.YieldFactor;
            if (pause > TimeSpan.Zero) await Task.Delay(pause, timeProvider, cancellationToken);
        }

        await journal.SweptAsync(deleted, cancellationToken);
        return deleted;
    }
}
