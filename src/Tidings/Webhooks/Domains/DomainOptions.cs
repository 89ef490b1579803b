using System.ComponentModel.DataAnnotations;

namespace Tidings.Webhooks.Domains;

/// <summary>How webhook domain ownership is checked. Bound from the <c>Webhooks:Domains</c> section.</summary>
internal sealed class DomainOptions
{
    public const string Section = "Webhooks:Domains";

    /// <summary>
    /// The DNS server TXT records are asked from, as <c>host</c> or <c>host:port</c> (an IP address, e.g.
    /// <c>127.0.0.1:5353</c>). Empty: the system's resolvers.
    /// </summary>
    public string NameServer { get; set; } = "";

    /// <summary>How long one DNS query or one verification file download may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>DNS retries after a timeout.</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 1;

    /// <summary>Largest verification file read, in bytes; longer bodies do not match.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 4096;
}
