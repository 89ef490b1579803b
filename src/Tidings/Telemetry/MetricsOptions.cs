using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace Tidings.Telemetry;

/// <summary><c>Metrics</c>: the Prometheus endpoint <c>/metrics</c> and who may scrape it.</summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>Off: no meter provider is built (no cost) and <c>/metrics</c> answers 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Networks (addresses or CIDR ranges) besides loopback whose clients may scrape <c>/metrics</c>.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>The parsed <see cref="AllowedNetworks"/>.</summary>
    public IReadOnlyList<IPNetwork> ParsedAllowedNetworks() =>
        AllowedNetworks.Select(n => TryParse(n, out var network) ? network : throw new InvalidOperationException($"Metrics:AllowedNetworks: '{n}' is not an IP address or CIDR range")).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            if (!TryParse(network, out _))
            {
                yield return new ValidationResult($"AllowedNetworks: '{network}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8).", [nameof(AllowedNetworks)]);
            }
        }
    }

    private static bool TryParse(string? text, out IPNetwork network)
    {
        text = text?.Trim();
        network = default;
        if (text is null or "") return false;
        if (text.Contains('/', StringComparison.Ordinal)) return IPNetwork.TryParse(text, out network);
        if (!IPAddress.TryParse(text, out var address)) return false;
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}
