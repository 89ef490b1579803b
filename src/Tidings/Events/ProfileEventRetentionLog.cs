namespace Tidings.Events;

/// <summary>Log entries of profile event retention (event ids 3300–3349).</summary>
internal static partial class ProfileEventRetentionLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Error, Message = "Profile event retention sweep failed; retrying at the next interval")]
    public static partial void ProfileRetentionSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information,
        Message = "Profile event retention: {Deleted} profile change records older than {KeepFor} deleted so far (up to seq {Seq})")]
    public static partial void ProfileRetentionProgress(this ILogger logger, long deleted, TimeSpan keepFor, long seq);
}
