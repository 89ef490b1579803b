using Microsoft.Extensions.Options;
using Tidings.Journal;

namespace Tidings.LogFiles;

/// <summary>
/// Deletes journal records that log files show once they are older than <see cref="LogFilesOptions.RetentionDays"/>,
/// but never a record at or beyond the lowest consumer cursor: a consumer (statistics, webhooks)
/// that has not passed a record yet still gets it. Works in bounded batches of seq, each its own short transaction.
/// </summary>
internal sealed class LogRetention(JournalRetention journal, TimeProvider timeProvider, IOptions<LogFilesOptions> options, ILogger<LogRetention> logger) : BackgroundService
{
    /// <summary>Where the previous sweep stopped: rows before it were looked at already (reset on restart).</summary>
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
        var types = LogFileTypes.SourceTypes;
        while (!cancellationToken.IsCancellationRequested)
        {
            var window = await journal.WindowAsync(position, limit, o.RetentionBatchSize, cancellationToken);

            // Records are appended roughly in time order: a window with nothing old enough ends the sweep.
            if (window.End is not { } end || window.Oldest >= cutoff) break;
            deleted += await journal.DeleteAsync(position, end, cutoff, types, cancellationToken);
            position = end;
            Interlocked.Exchange(ref _position, position);
            logger.RetentionProgress(deleted, o.RetentionDays, end);
        }

        return deleted;
    }
}
