using System.ComponentModel.DataAnnotations;

namespace Tidings.Hosting;

/// <summary>
/// How long and how slowly a client may hold a connection: Kestrel's limits, chosen for this server rather than left
/// at the framework's defaults, and the bound on a streamed response the client stops reading. Bound from the
/// <c>Server</c> section (beside <see cref="ServerOptions"/>). Kestrel only: the tests' in-memory server ignores them.
/// </summary>
internal sealed class ConnectionLimitsOptions
{
    public const string Section = "Server";

    /// <summary>
    /// Most open connections; a connection beyond it is closed at once. Kept below the process's open-file limit so that
    /// the database, the log and the journal files can still be opened when every connection is taken.
    /// </summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>
    /// Longest time a client may take to send a request's headers (all of them, from the first byte). Every legitimate
    /// client sends them in one packet; a client that trickles them (slowloris) is cut off after this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an idle keep-alive connection stays open. Longer than the idle timeouts of common reverse proxies and
    /// load balancers (60 s), so the server never closes a connection a proxy is about to reuse.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Slowest a request body may arrive, in bytes per second, after <see cref="MinRequestBodyGracePeriod"/>. 0: no minimum.</summary>
    [Range(0, 1_000_000_000)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>Time a request body may arrive more slowly than <see cref="MinRequestBodyBytesPerSecond"/> before it is cut off.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:05:00")]
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Slowest a client may take a response, in bytes per second, after <see cref="MinResponseGracePeriod"/>; checked
    /// by Kestrel while data waits to be sent. 0: no minimum. The dashboard's live chart is exempt.
    /// </summary>
    [Range(0, 1_000_000_000)]
    public double MinResponseBytesPerSecond { get; set; } = 1024;

    /// <summary>Time a client may take a response more slowly than <see cref="MinResponseBytesPerSecond"/> before it is cut off.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:05:00")]
    public TimeSpan MinResponseGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest a streamed response (a log-file download, the dashboard's live chart) may go without the client taking
    /// what was sent; the connection is closed then. Bounds what the minimum rate allows a large buffered write.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResponseWriteTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
