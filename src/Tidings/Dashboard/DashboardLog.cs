namespace Tidings.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 16002, Level = LogLevel.Error, Message = "Dashboard request {Method} {Path} failed")]
    public static partial void PageFailed(ILogger logger, Exception exception, string method, PathString path);
}
