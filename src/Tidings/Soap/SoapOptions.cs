using System.ComponentModel.DataAnnotations;

namespace Tidings.Soap;

/// <summary>Limits of the SOAP endpoint (<c>POST /</c>). Bound from the <c>Soap</c> section.</summary>
internal sealed class SoapOptions
{
    public const string Section = "Soap";

    /// <summary>Largest request body accepted as sent (compressed or not), in bytes; larger bodies get a Fault.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest body after gzip decompression, in bytes; a larger one (a gzip bomb) gets a Fault.</summary>
    [Range(1024, 1L << 31)]
    public long MaxDecompressedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>A session started by the legacy <c>login</c> method ends after this long unused (then calls get the Fault <c>Not logged on</c>).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session started by <c>login</c> ends this long after the login at the latest, however busy.</summary>
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromHours(12);
}
