using Microsoft.Extensions.Options;
using Tidings.Journal;
using Tidings.LogFiles;

namespace Tidings.Events;

/// <summary>
/// Deletes profile and subprofile change records older than <see cref="EventsOptions.ProfileEventRetention"/>, never
/// one at or beyond the lowest consumer cursor (webhooks, their retries, statistics). Walks the journal in the same
/// bounded windows and at the same interval as log file retention (<see cref="LogFilesOptions.RetentionBatchSize"/>,
/// <see cref="LogFilesOptions.RetentionSweepInterval"/>), each window its own short transaction.
/// </summary>
internal sealed class ProfileEventRetention(
    JournalRetention journal, TimeProvider timeProvider, IOptions<EventsOptions> options, IOptions<LogFilesOptions> sweep, ILogger<ProfileEventRetention> logger)
    : BackgroundService, IRetentionRule
{
    public static readonly IReadOnlyList<string> ProfileTypes =
    [
        EventTypes.ProfileCreate, EventTypes.ProfileUpdate, EventTypes.ProfileDelete,
        EventTypes.SubprofileCreate, EventTypes.SubprofileUpdate, EventTypes.SubprofileDelete,
    ];

    /// <summary>
    /// Where the next sweep starts: every row before it was old enough when looked at, so nothing there is left to
    /// delete. A window that also held newer rows does not move it, so those are looked at again later.
    /// </summary>
    private long _position;

    public string Setting => "Events:ProfileEventRetention";

    public IReadOnlyList<string> Types => ProfileTypes;

    public TimeSpan? KeepFor => options.Value.ProfileEventRetention == TimeSpan.Zero ? null : options.Value.ProfileEventRetention;

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
                    logger.ProfileRetentionSweepFailed(ex);
                }

                await Task.Delay(sweep.Value.RetentionSweepInterval, timeProvider, stoppingToken);
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
        var cutoff = timeProvider.GetUtcNow().Subtract(keep).ToUnixTimeMilliseconds();
        var limit = await journal.LimitAsync(cancellationToken);
        var position = Math.Min(Interlocked.Read(ref _position), limit);
        long deleted = 0;
        var allOld = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = timeProvider.GetTimestamp();
            var window = await journal.WindowAsync(position, limit, sweep.Value.RetentionBatchSize, cancellationToken);

            // Records are appended roughly in time order: a window with nothing old enough ends the sweep.
            if (window.End is not { } end || window.Oldest >= cutoff) break;
            deleted += await journal.DeleteAsync(position, end, cutoff, ProfileTypes, cancellationToken);
            if (allOld && window.Newest < cutoff) Interlocked.Exchange(ref _position, end);
            else allOld = false;
            position = end;
            logger.ProfileRetentionProgress(deleted, keep, end);

            // Gives way: the next window waits as long as this one took (times the factor), so ingest is not queued
            // behind one delete after another.
            var pause = timeProvider.GetElapsedTime(started) * sweep.Value.RetentionYieldFactor;
            if (pause > TimeSpan.Zero) await Task.Delay(pause, timeProvider, cancellationToken);
        }

        await journal.SweptAsync(deleted, cancellationToken);
        return deleted;
    }
}
