namespace Tidings.Tracking;

/// <summary>Log entries of tracking (event ids 6000–6999).</summary>
internal static partial class TrackingLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "The changed GeoIP database could not be loaded; the one loaded before stays in use")]
    public static partial void GeoIpReloadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "GeoIP database {Path} reloaded ({Type}, built {Built:u})")]
    public static partial void GeoIpReloaded(this ILogger logger, string path, string type, DateTime built);
}
