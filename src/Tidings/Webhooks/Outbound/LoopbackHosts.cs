using System.Net;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// Hosts that are this machine: <c>localhost</c> and loopback addresses (<c>127.0.0.0/8</c>, <c>::1</c>, and their
/// IPv4-mapped forms). They are no domain names, so ownership of one is an exact match of the host, never "under".
/// </summary>
internal static class LoopbackHosts
{
    public const string Localhost = "localhost";

    /// <summary>
    /// The canonical form of a loopback host (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>; brackets, a trailing
    /// dot and case are dropped); null for any other host.
    /// </summary>
    public static string? Normalize(string? host)
    {
        if (string.IsNullOrWhiteSpace(host)) return null;
        var h = host.Trim();
        if (h.Length > 2 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        if (string.Equals(h.TrimEnd('.'), Localhost, StringComparison.OrdinalIgnoreCase)) return Localhost;
        if (!h.Contains('.', StringComparison.Ordinal) && !h.Contains(':', StringComparison.Ordinal)) return null; // "1" is 0.0.0.1 to IPAddress
        if (!IPAddress.TryParse(h, out var address)) return null;
        address = AddressPolicy.Canonical(address);
        return IPAddress.IsLoopback(address) ? address.ToString() : null;
    }

    /// <summary>The addresses a loopback host stands for (<c>localhost</c>: 127.0.0.1, then ::1); null for any other host.</summary>
    public static IReadOnlyList<IPAddress>? Addresses(string host) => Normalize(host) switch
    {
        null => null,
        Localhost => [IPAddress.Loopback, IPAddress.IPv6Loopback],
        var literal => [IPAddress.Parse(literal)],
    };

    /// <summary>The host as it goes into a URL (an IPv6 address in brackets).</summary>
    public static string InUrl(string host) => host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
}
