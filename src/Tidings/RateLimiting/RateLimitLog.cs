namespace Tidings.RateLimiting;

internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 19300, Level = LogLevel.Warning,
        Message = "API calls of {Caller} in account {AccountId} refused over {Api}: more than {PermitLimit} calls per {Window}; further refusals of this caller in this window are not logged")]
    public static partial void Refused(this ILogger logger, string caller, long accountId, string api, int permitLimit, TimeSpan window);

}
