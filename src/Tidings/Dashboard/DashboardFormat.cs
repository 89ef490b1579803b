using System.Globalization;

namespace Tidings.Dashboard;

/// <summary>How the pages write times and numbers: UTC, to the minute, the same on every page.</summary>
internal static class DashboardFormat
{
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(long? unixMs, string none) => unixMs is { } ms ? Time(ms) : none;

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
