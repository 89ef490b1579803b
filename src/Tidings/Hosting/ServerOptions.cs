using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Tidings.Hosting;

/// <summary>Settings of the server as a whole. Bound from the <c>Server</c> section.</summary>
internal sealed class ServerOptions : IValidatableObject
{
    public const string Section = "Server";

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR ranges, e.g. <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>,
    /// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> are believed, by everything (tracking, REST addresses,
    /// HTTPS detection). Empty (default): no forwarded header is believed.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// How long an orderly stop (SIGTERM) may take: requests in flight, webhook calls in flight, the journal writer and
    /// the delivery ledger's queues. Applied to the host's <c>HostOptions.ShutdownTimeout</c>; a service manager's own
    /// stop timeout (systemd <c>TimeoutStopSec</c>, compose <c>stop_grace_period</c>) must be longer.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This node's name among the nodes that share one PostgreSQL database (<see cref="Telemetry.NodeIdentity"/>); empty:
    /// the host name and the process id.
    /// </summary>
    public string NodeId { get; set; } = "";

    /// <summary>The longest <see cref="ShutdownTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxShutdownTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The parsed <see cref="TrustedProxies"/>.</summary>
    public IReadOnlyList<IPNetwork> ParsedTrustedProxies() =>
        TrustedProxies.Select(p => ProxyNetwork.TryParse(p, out var network) ? network : throw new InvalidOperationException($"Server:TrustedProxies: '{p}' is not an IP address or CIDR range")).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ShutdownTimeout < TimeSpan.FromSeconds(1) || ShutdownTimeout > MaxShutdownTimeout)
        {
            yield return new ValidationResult("ShutdownTimeout must be between 1 second and 10 minutes.", [nameof(ShutdownTimeout)]);
        }

        if (!string.IsNullOrWhiteSpace(NodeId) && !Telemetry.NodeIdentity.IsValid(NodeId.Trim()))
        {
            yield return new ValidationResult($"NodeId may have letters, digits, '-', '_', '.' and ':' only, at most {Telemetry.NodeIdentity.MaxLength}.", [nameof(NodeId)]);
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!ProxyNetwork.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"TrustedProxies: '{proxy}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8).", [nameof(TrustedProxies)]);
            }
        }
    }
}
