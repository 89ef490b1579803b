namespace Tidings.Rest;

/// <summary>Log entries of the REST pipeline (event ids 5000–5999).</summary>
internal static partial class RestLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(this ILogger logger, Exception exception, string method, string path);
}
