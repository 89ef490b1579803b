using Microsoft.Extensions.Options;
using Tidings.Journal;

namespace Tidings.LogFiles;

/// <summary>
/// Deletes journal records that log files show once they are older than <see cref="LogFilesOptions.RetentionDays"/>,
/// but never a record at or beyond the lowest consumer cursor: a consumer (statistics, webhooks)
/// that has not passed a record yet still gets it. Works in bounded batches of seq, each its own short transaction.
/// </summary>
internal sealed class LogRetention(JournalRetention journal, TimeProvider timeProvider, IOptions<LogFilesOptions> options, ILogger<LogRetention> logger) : BackgroundService, IRetentionRule
{
    public string Setting => "LogFiles:RetentionDays";

    public IReadOnlyList<string> Types => LogFileTypes.SourceTypes;

    public TimeSpan? KeepFor => options.Value.RetentionDays == 0 ? null : TimeSpan.FromDays(options.Value.RetentionDays);

    /// <summary>
    /// Where the next sweep starts: every row before it was old enough when looked at, so nothing there is left to
    /// delete. A window that also held newer rows does not move it, so those are looked at again later.
    /// </summary>
    private long _position;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), timeProvider, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.RetentionSweepFailed(ex);
                }

                await Task.Delay(options.Value.RetentionSweepInterval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; returns the number of journal records deleted.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.RetentionDays == 0) return 0;
        var cutoff = timeProvider.GetUtcNow().AddDays(-o.RetentionDays).ToUnixTimeMilliseconds();
        var limit = await journal.LimitAsync(cancellationToken);

        var position = Math.Min(Interlocked.Read(ref _position), limit);
        long deleted = 0;
        var allOld = true;
        var types = LogFileTypes.SourceTypes;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = timeProvider.GetTimestamp();
            var window = await journal.WindowAsync(position, limit, o.RetentionBatchSize, cancellationToken);

            // Records are appended roughly in time order: a window with nothing old enough ends the sweep.
            if (window.End is not { } end || window.Oldest >= cutoff) break;
            deleted += await journal.DeleteAsync(position, end, cutoff, types, cancellationToken);
            if (allOld && window.Newest < cutoff) Interlocked.Exchange(ref _position, end);
            else allOld = false;
            position = end;
            logger.RetentionProgress(deleted, o.RetentionDays, end);

            // Gives way: the next window waits as long as this one took (times the factor), so ingest is not queued
            // behind one delete after another.
            var pause = timeProvider.GetElapsedTime(started) * o.RetentionYieldFactor;
            if (pause > TimeSpan.Zero) await Task.Delay(pause, timeProvider, cancellationToken);
        }

        await journal.SweptAsync(deleted, cancellationToken);
        return deleted;
    }
}
