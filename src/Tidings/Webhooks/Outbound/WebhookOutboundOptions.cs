using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Tidings.Webhooks.Outbound;

/// <summary>How outgoing webhook calls are made. Bound from the <c>Webhooks:Delivery</c> section.</summary>
internal sealed class WebhookOutboundOptions : IValidatableObject
{
    public const string Section = "Webhooks:Delivery";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.1.2.0/24</c>, <c>127.0.0.1/32</c>, <c>fd00::/8</c>) webhooks may reach although they
    /// are loopback, private, link-local or otherwise not public. Empty by default: only public addresses.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Fixed name → address answers used instead of DNS (like an <c>/etc/hosts</c> entry, e.g. for a receiver on an
    /// internal name). The address is still checked against the address policy: this does not bypass the SSRF guard.
    /// </summary>
    public Dictionary<string, string> Hosts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time to resolve the host and open the TCP (and TLS) connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time for the whole call: connect, send, receive the status and headers, and read the body's excerpt (cut off when the time is up).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a pooled connection is reused before it is closed (so DNS changes are picked up).</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most simultaneous connections to one receiver (scheme, host and port).</summary>
    [Range(1, 1000)]
    public int MaxConnectionsPerServer { get; set; } = 10;

    /// <summary>The parsed <see cref="AllowedNetworks"/>.</summary>
    public IReadOnlyList<IPNetwork> ParsedAllowedNetworks() =>
        AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim())).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network?.Trim(), out _))
            {
                yield return new ValidationResult($"AllowedNetworks: '{network}' is not a network in CIDR notation (e.g. 10.1.2.0/24, 127.0.0.1/32, fd00::/8).", [nameof(AllowedNetworks)]);
            }
        }

        foreach (var (name, address) in Hosts)
        {
            if (!IPAddress.TryParse(address, out _)) yield return new ValidationResult($"Hosts: '{address}' (for {name}) is not an IP address.", [nameof(Hosts)]);
        }

        if (ConnectTimeout <= TimeSpan.Zero) yield return new ValidationResult("ConnectTimeout must be positive.", [nameof(ConnectTimeout)]);
        if (RequestTimeout <= TimeSpan.Zero) yield return new ValidationResult("RequestTimeout must be positive.", [nameof(RequestTimeout)]);
        if (PooledConnectionLifetime <= TimeSpan.Zero) yield return new ValidationResult("PooledConnectionLifetime must be positive.", [nameof(PooledConnectionLifetime)]);
    }
}
