using System.ComponentModel.DataAnnotations;

namespace Tidings.Rest;

/// <summary>Limits and conventions of the Copernica-compatible REST API. Bound from the <c>Rest</c> section.</summary>
internal sealed class RestOptions
{
    public const string Section = "Rest";

    /// <summary>Items per page when a list request names no <c>limit</c> (Copernica: 100).</summary>
    [Range(1, 100_000)]
    public int DefaultLimit { get; set; } = 100;

    /// <summary>Largest <c>limit</c> a list request may ask for; larger values are clamped (Copernica: 1000).</summary>
    [Range(1, 100_000)]
    public int MaxLimit { get; set; } = 1000;

    /// <summary>Largest request body accepted, in bytes; larger bodies get a 400 error and change nothing.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most profile ids one bulk delete (<c>DELETE database/{id}/profiles</c>) may name.</summary>
    [Range(1, 1_000_000)]
    public int MaxBulkDelete { get; set; } = 10_000;

    /// <summary>IANA time zone in which timestamps are written and read (Copernica: Europe/Amsterdam).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    /// <summary>
    /// Public base URL used in <c>X-location</c> headers, e.g. <c>https://tidings.example.com</c>. Empty: taken from
    /// the request.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";
}
