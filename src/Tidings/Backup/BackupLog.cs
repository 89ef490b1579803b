namespace Tidings.Backup;

/// <summary>Log entries of backup and restore (event ids 19100–19199).</summary>
internal static partial class BackupLog
{
    [LoggerMessage(EventId = 19101, Level = LogLevel.Information,
        Message = "Backup written to {Destination}: {Pages} database pages, {Segments} intake log segment(s) of {Bytes} bytes")]
    public static partial void BackupWritten(this ILogger logger, string destination, long pages, int segments, long bytes);

    [LoggerMessage(EventId = 19102, Level = LogLevel.Warning,
        Message = "The backup in {Source} was restored in place of the database {Database} and its intake log {Intake}")]
    public static partial void Restored(this ILogger logger, string source, string database, string intake);
}
