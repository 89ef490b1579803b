namespace Tidings.Mailings;

/// <summary>Log entries of mailings (event ids 7000–7999).</summary>
internal static partial class MailingsLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "Preparing mailings failed; retrying shortly")]
    public static partial void PreparingMailingsFailed(this ILogger logger, Exception exception);
}
