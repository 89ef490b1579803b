namespace Tidings.Statistics;

/// <summary>Log entries of statistics (event ids 8000–8999).</summary>
internal static partial class StatisticsLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "Counting statistics failed; retrying shortly")]
    public static partial void CountingFailed(this ILogger logger, Exception exception);
}
