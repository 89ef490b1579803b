using System.Net;
using System.Net.Sockets;

namespace Tidings.Hosting;

/// <summary>How a trusted proxy is written in the settings: an IP address (one host) or a CIDR range.</summary>
internal static class ProxyNetwork
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        text = text?.Trim();
        if (text is null or "")
        {
            network = default;
            return false;
        }

        if (text.Contains('/', StringComparison.Ordinal)) return IPNetwork.TryParse(text, out network);
        if (IPAddress.TryParse(text, out var address))
        {
            address = Normalize(address);
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        network = default;
        return false;
    }

    /// <summary>An IPv4 address as such, also when a dual-stack socket reports it mapped to IPv6 (<c>::ffff:10.1.2.3</c>).</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
