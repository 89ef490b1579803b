using System.Net;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// A webhook URL's host is (or resolves to) an address webhooks may not reach: loopback, private, link-local, … Raised
/// by the connect step of <see cref="SafeHttpClientFactory"/> before any connection is made; the
/// <see cref="System.Net.Http.HttpRequestException"/> the client throws carries it as (inner) exception.
/// </summary>
internal sealed class WebhookAddressRefusedException(string host, IPAddress address, string kind)
    : Exception(Describe(host, address, kind))
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;

    /// <summary>The kind of address, e.g. <c>private</c>, <c>loopback</c>, <c>link-local (cloud metadata)</c>.</summary>
    public string Kind { get; } = kind;

    private static string Describe(string host, IPAddress address, string kind)
    {
        var article = kind.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(kind[0])) ? "an" : "a";
        var what = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"Webhook address {address} is" : $"Webhook host {host} resolves to {address},";
        return $"{what} {article} {kind} address; not allowed (setting {WebhookOutboundOptions.Section}:AllowedNetworks)";
    }

    /// <summary>The refusal inside an exception thrown by <see cref="HttpClient"/>, if that is why the call failed.</summary>
    public static WebhookAddressRefusedException? From(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookAddressRefusedException refused) return refused;
        }

        return null;
    }
}
