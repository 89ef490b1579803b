using System.ComponentModel.DataAnnotations;

namespace Tidings.RateLimiting;

/// <summary>
/// The per-caller limit on REST and SOAP API calls (off by default). Bound from the <c>RateLimiting</c> section.
/// </summary>
internal sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Whether API calls are limited at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many calls one access token (or one SOAP user) may make in each <see cref="Window"/>.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 100;

    /// <summary>The fixed window the <see cref="PermitLimit"/> applies to; a new window starts with a full budget.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many calls over the limit wait for the next window instead of being refused at once (per caller); 0 refuses
    /// at once. A waiting call holds its connection.
    /// </summary>
    [Range(0, 10_000)]
    public int QueueLimit { get; set; }

    /// <summary>
    /// The HTTP status of a refused REST call: 400, which Copernica's own PHP class reports as a failure, or 429, which
    /// that class would report as success (and so lose the write).
    /// </summary>
    [AllowedValues(400, 429)]
    public int RejectionStatus { get; set; } = StatusCodes.Status400BadRequest;
}
