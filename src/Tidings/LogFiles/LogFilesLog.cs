namespace Tidings.LogFiles;

/// <summary>Log entries of log files (event ids 9000–9999).</summary>
internal static partial class LogFilesLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Log file retention sweep failed; retrying at the next interval")]
    public static partial void RetentionSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information,
        Message = "Log file retention: {Deleted} journal records older than {Days} days deleted so far (up to seq {Seq})")]
    public static partial void RetentionProgress(this ILogger logger, long deleted, int days, long seq);
}
