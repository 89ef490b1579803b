using System.Net;
using System.Net.Sockets;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// Which IP addresses a webhook may connect to: public unicast addresses only, unless an operator allowed a network
/// (setting <c>Webhooks:Delivery:AllowedNetworks</c>). IPv4-mapped IPv6 addresses (<c>::ffff:10.0.0.1</c>) are judged as
/// the IPv4 address they carry; IPv6 forms that tunnel to an IPv4 address we cannot vet (NAT64, 6to4, Teredo) are refused.
/// </summary>
internal sealed class AddressPolicy(IReadOnlyList<IPNetwork> allowedNetworks)
{
    private static readonly (IPNetwork Network, string Kind)[] Forbidden =
    [
        // IPv4 (the most specific first, so 169.254.169.254 is named as cloud metadata and 255.255.255.255 as broadcast).
        (Net("0.0.0.0/32"), "unspecified"),
        (Net("0.0.0.0/8"), "reserved (this network, 0.0.0.0/8)"),
        (Net("10.0.0.0/8"), "private"),
        (Net("100.64.0.0/10"), "carrier-grade NAT"),
        (Net("127.0.0.0/8"), "loopback"),
        (Net("169.254.169.254/32"), "link-local (cloud metadata)"),
        (Net("169.254.0.0/16"), "link-local"),
        (Net("172.16.0.0/12"), "private"),
        (Net("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
        (Net("192.0.2.0/24"), "reserved (documentation)"),
        (Net("192.88.99.0/24"), "reserved (6to4 relay)"),
        (Net("192.168.0.0/16"), "private"),
        (Net("198.18.0.0/15"), "reserved (benchmarking)"),
        (Net("198.51.100.0/24"), "reserved (documentation)"),
        (Net("203.0.113.0/24"), "reserved (documentation)"),
        (Net("224.0.0.0/4"), "multicast"),
        (Net("255.255.255.255/32"), "broadcast"),
        (Net("240.0.0.0/4"), "reserved"),

        // IPv6 (IPv4-mapped addresses never get here: they are judged as IPv4).
        (Net("::/128"), "unspecified"),
        (Net("::1/128"), "loopback"),
        (Net("64:ff9b::/96"), "reserved (NAT64)"),
        (Net("64:ff9b:1::/48"), "reserved (NAT64)"),
        (Net("::/8"), "reserved (IPv4-compatible and other ::/8)"),
        (Net("100::/64"), "reserved (discard-only)"),
        (Net("2001::/32"), "reserved (Teredo)"),
        (Net("2001:db8::/32"), "reserved (documentation)"),
        (Net("2002::/16"), "reserved (6to4)"),
        (Net("3fff::/20"), "reserved (documentation)"),
        (Net("5f00::/16"), "reserved (SRv6)"),
        (Net("fc00::/7"), "unique-local"),
        (Net("fe80::/10"), "link-local"),
        (Net("fec0::/10"), "reserved (site-local)"),
        (Net("ff00::/8"), "multicast"),
    ];

    /// <summary>A policy that allows nothing but public addresses.</summary>
    public static AddressPolicy PublicOnly { get; } = new([]);

    /// <summary>What kind of non-public address this is (<c>private</c>, <c>loopback</c>, …); null for a public address.</summary>
    public static string? ForbiddenKind(IPAddress address)
    {
        address = Canonical(address);
        foreach (var (network, kind) in Forbidden)
        {
            if (network.Contains(address)) return kind;
        }

        return null;
    }

    /// <summary>Null when a webhook may connect to the address; otherwise why not (the kind of address).</summary>
    public string? Refusal(IPAddress address)
    {
        var canonical = Canonical(address);
        foreach (var network in allowedNetworks)
        {
            if (network.Contains(canonical) || network.Contains(address)) return null;
        }

        return ForbiddenKind(canonical);
    }

    /// <summary>IPv4-mapped IPv6 as IPv4, without the IPv6 scope id.</summary>
    public static IPAddress Canonical(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
            if (address.ScopeId != 0) return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);
}
