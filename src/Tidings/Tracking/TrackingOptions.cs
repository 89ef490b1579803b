using System.ComponentModel.DataAnnotations;

namespace Tidings.Tracking;

/// <summary>The public tracking endpoints (open pixel, click redirect). Bound from the <c>Tracking</c> section.</summary>
internal sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>
    /// Proxies (IP addresses or CIDR ranges, e.g. <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c> header tracking
    /// believes, besides those of <c>Server:TrustedProxies</c> (which the whole server believes). Both empty (default):
    /// the header is ignored and the recorded IP is the direct peer's. With a trusted peer, the recorded IP is the
    /// right-most address of the chain that is not itself a trusted proxy.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Most <c>X-Forwarded-For</c> entries examined (from the right) before giving up on the chain.</summary>
    [Range(1, 1000)]
    public int MaxForwardedAddresses { get; set; } = 16;

    /// <summary>
    /// Most characters of request headers (names plus values) recorded in an event's <c>headers</c>; headers beyond
    /// the budget are left out, so a client cannot make the journal grow with huge requests.
    /// </summary>
    [Range(0, 1_048_576)]
    public int MaxHeaderBytes { get; set; } = 8192;

    /// <summary>Longest value (user agent, referer, one header) recorded; longer values are cut.</summary>
    [Range(16, 1_048_576)]
    public int MaxValueLength { get; set; } = 2048;

    /// <summary>Request headers never recorded (case-insensitive): credentials a browser may send along.</summary>
    public string[] ExcludedHeaders { get; set; } = ["Cookie", "Authorization", "Proxy-Authorization"];

    /// <summary>
    /// A MaxMind-format database (<c>.mmdb</c>: GeoLite2 or GeoIP2 City or Country, DB-IP City or Country Lite) from
    /// which opens and clicks get <c>countrycode</c>, <c>countryname</c>, <c>regioncode</c> and <c>city</c> (the log
    /// files' columns). Empty (default): no lookup, the columns stay empty. A file that cannot be read stops the start.
    /// A newer file at the same path is loaded within <see cref="GeoIpReloadInterval"/>.
    /// </summary>
    public string? GeoIpDatabase { get; set; }

    /// <summary>How often the GeoIP database file is checked for a newer edition (time or size changed). Zero: never.</summary>
    public TimeSpan GeoIpReloadInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Client addresses whose location is kept in memory (opens come again and again from the same addresses: the
    /// recipient, mail providers' image proxies), so that a City record is decoded once per address, not per event.
    /// Emptied when full and when a new database edition is loaded. 0 turns the cache off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int GeoIpCacheSize { get; set; } = 100_000;

    /// <summary>Language of the country and city names (a language the database holds names in, e.g. <c>en</c>, <c>de</c>).</summary>
    [Required]
    public string GeoIpLanguage { get; set; } = "en";

    /// <summary>
    /// Benchmarking only: also serve <c>/t/null.gif</c>, the same pixel without recording anything, to measure what
    /// the HTTP stack alone can do. Off by default.
    /// </summary>
    public bool EnableNullPixel { get; set; }
}
