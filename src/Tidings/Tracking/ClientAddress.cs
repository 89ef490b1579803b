using System.Net;
using Microsoft.Extensions.Options;
using Tidings.Hosting;

namespace Tidings.Tracking;

/// <summary>
/// The address of the client behind a tracking request. <c>X-Forwarded-For</c> is believed only when the direct peer
/// is a configured trusted proxy; then the right-most address of the chain that is not a trusted proxy is the client
/// (the entries to its left were written by the client itself and can be forged). Trusted are the proxies of
/// <c>Tracking:TrustedProxies</c> and of <c>Server:TrustedProxies</c>; the latter's part of the chain has already been
/// taken off by the forwarded-headers middleware (<see cref="TrustedProxies"/>), which leaves the peer the address
/// they forwarded and the header what is left of the chain, so this walk goes on where it stopped.
/// </summary>
internal sealed class ClientAddress
{
    private readonly IPNetwork[] _trusted;
    private readonly int _maxForwarded;

    public ClientAddress(IOptions<TrackingOptions> options, IOptions<ServerOptions> server)
    {
        _trusted = options.Value.TrustedProxies
            .Select(p => ProxyNetwork.TryParse(p, out var n) ? n : throw new InvalidOperationException($"Tracking:TrustedProxies: '{p}' is not an IP address or CIDR range"))
            .Concat(server.Value.ParsedTrustedProxies())
            .ToArray();
        _maxForwarded = options.Value.MaxForwardedAddresses;
    }

    /// <summary>The client's address, or null when the server does not know its peer (in-process test host).</summary>
    public IPAddress? Resolve(HttpContext http)
    {
        var peer = Normalize(http.Connection.RemoteIpAddress);
        if (peer is null || _trusted.Length == 0 || !IsTrusted(peer)) return peer;

        var forwarded = http.Request.Headers["X-Forwarded-For"];
        var client = peer;
        var seen = 0;
        for (var v = forwarded.Count - 1; v >= 0; v--)
        {
            var entries = (forwarded[v] ?? "").AsSpan();
            while (entries.Length > 0)
            {
                var comma = entries.LastIndexOf(',');
                var entry = entries[(comma + 1)..].Trim();
                entries = comma < 0 ? [] : entries[..comma];
                if (++seen > _maxForwarded || !TryParseAddress(entry, out var address)) return client;
                client = address;
                if (!IsTrusted(address)) return address;
            }
        }

        return client;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in _trusted)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        if (IPAddress.TryParse(text, out var parsed) || (IPEndPoint.TryParse(text, out var endPoint) && (parsed = endPoint.Address) is not null))
        {
            address = Normalize(parsed)!;
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
