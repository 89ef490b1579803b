using Microsoft.Extensions.Options;
using Tidings.Journal;

namespace Tidings.LogFiles;

/// <summary>
/// Deletes journal records that log files show once they are older than <see cref="LogFilesOptions.RetentionDays"/>,
/// but never a record at or beyond the lowest consumer cursor: a consumer (statistics, webhooks) that has not passed a
/// record yet still gets it.
/// </summary>
internal sealed class LogRetention(JournalRetention journal, TimeProvider timeProvider, IOptions<LogFilesOptions> options, ILogger<LogRetention> logger)
    : RetentionSweeper(journal, timeProvider)
{
    public override string Setting => "LogFiles:RetentionDays";

    public override IReadOnlyList<string> Types => LogFileTypes.SourceTypes;

    public override TimeSpan? KeepFor => options.Value.RetentionDays == 0 ? null : TimeSpan.FromDays(options.Value.RetentionDays);

    protected override RetentionPace Pace => new(options.Value.RetentionBatchSize, options.Value.RetentionSweepInterval, options.Value.RetentionYieldFactor, options.Value.RetentionFirstSweepDelay);

    protected override void LogProgress(long deleted, TimeSpan keepFor, long seq) => logger.RetentionProgress(deleted, (int)keepFor.TotalDays, seq);

    protected override void LogFailed(Exception exception) => logger.RetentionSweepFailed(exception);
}
