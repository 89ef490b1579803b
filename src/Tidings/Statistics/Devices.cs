namespace Tidings.Statistics;

/// <summary>The <c>device</c> of an impression, guessed from the user agent as Copernica reports it.</summary>
internal static class Devices
{
    /// <summary><c>tablet</c>, <c>mobile</c>, <c>desktop</c> or <c>unknown</c>.</summary>
    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "unknown";
        bool Has(string s) => userAgent.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("iPad") || Has("Tablet") || Has("Kindle") || Has("Silk/") || Has("PlayBook") || (Has("Android") && !Has("Mobile"))) return "tablet";
        if (Has("Mobi") || Has("iPhone") || Has("iPod") || Has("Android") || Has("Windows Phone") || Has("BlackBerry") || Has("Opera Mini")) return "mobile";
        if (Has("Windows") || Has("Macintosh") || Has("Mac OS X") || Has("X11") || Has("Linux") || Has("CrOS")) return "desktop";
        return "unknown";
    }
}
