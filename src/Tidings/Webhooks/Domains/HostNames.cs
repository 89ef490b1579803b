using System.Globalization;
using System.Text.RegularExpressions;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Domains;

/// <summary>Domain names compared the way ownership needs: lower case, IDN as punycode, whole labels only.</summary>
internal static partial class HostNames
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The ASCII, lower-case form of a host or domain name without a trailing dot; null when it is not one.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var trimmed = name.Trim().TrimEnd('.');
        if (trimmed.Length == 0) return null;
        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        // The top-level label is never all digits: that is an IP address, not a domain.
        return DomainName().IsMatch(ascii) && !ascii[(ascii.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit) ? ascii : null;
    }

    /// <summary>
    /// Whether <paramref name="host"/> is <paramref name="domain"/> or a subdomain of it: <c>a.b.example.com</c> is under
    /// <c>example.com</c>, <c>evilexample.com</c> and <c>example.com.evil.net</c> are not. A loopback host
    /// (<see cref="LoopbackHosts"/>) is under nothing but itself.
    /// </summary>
    public static bool IsUnder(string host, string domain)
    {
        if (LoopbackHosts.Normalize(domain) is { } loopback) return LoopbackHosts.Normalize(host) == loopback;
        var h = Normalize(host);
        var d = Normalize(domain);
        if (h is null || d is null) return false;
        return h == d || h.EndsWith("." + d, StringComparison.Ordinal);
    }

    /// <summary>Whether the host of <paramref name="handlerUrl"/> lies under one of <paramref name="validatedDomains"/>.</summary>
    public static bool IsHandlerUnder(string handlerUrl, IEnumerable<string> validatedDomains) =>
        Uri.TryCreate(handlerUrl, UriKind.Absolute, out var uri) && validatedDomains.Any(d => IsUnder(uri.IdnHost, d));

    // At least two labels, each 1-63 letters, digits or hyphens, not starting or ending with a hyphen.
    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainName();
}
