using System.Globalization;

namespace Tidings.Dashboard;

/// <summary>
/// Times as people read them on a list ("5 minutes ago"), with the exact UTC time beside them for a <c>title</c> and a
/// <c>&lt;time datetime&gt;</c>: the relative text is for scanning, the absolute one is what the services stored.
/// </summary>
internal static class RelativeTime
{
    public static string Ago(long unixMs, DateTimeOffset now)
    {
        var span = now - DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        var future = span < TimeSpan.Zero;
        if (future) span = span.Negate();
        string text;
        if (span < TimeSpan.FromMinutes(1)) return future ? "in under a minute" : "just now";
        else if (span < TimeSpan.FromHours(1)) text = Unit((int)span.TotalMinutes, "minute");
        else if (span < TimeSpan.FromDays(1)) text = Unit((int)span.TotalHours, "hour");
        else text = Unit((int)span.TotalDays, "day");
        return future ? "in " + text : text + " ago";
    }

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Unit(int n, string unit) => n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");
}
