using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Tidings.Webhooks.Delivery;

/// <summary>
/// The HTTP client webhook calls go out with, guarded against server-side request forgery. One shared
/// <see cref="SocketsHttpHandler"/> (pooled connections) whose connect step resolves the host itself, drops every
/// address that <see cref="AddressPolicy"/> refuses and connects to a vetted address — the address that was checked is
/// the address that is dialled, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// Redirects are never followed (a 3xx is the answer), cookies are not kept, and no proxy is used (a proxy would resolve
/// the name again, past the guard).
/// </summary>
public sealed class SafeHttpClientFactory : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly AddressPolicy _policy;
    private readonly WebhookDeliveryOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Host, int Port), IPAddress> _lastAddress = new();

    public SafeHttpClientFactory(IOptions<WebhookDeliveryOptions> options)
        : this(options, WithHosts(options.Value.Hosts))
    {
    }

    /// <summary>DNS, except for names configured in <see cref="WebhookDeliveryOptions.Hosts"/>.</summary>
    private static Func<string, CancellationToken, Task<IPAddress[]>> WithHosts(Dictionary<string, string> hosts)
    {
        var fixedAnswers = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, address) in hosts) fixedAnswers[name.TrimEnd('.')] = IPAddress.Parse(address);
        return (host, ct) => fixedAnswers.TryGetValue(host.TrimEnd('.'), out var address) ? Task.FromResult(new[] { address }) : Dns.GetHostAddressesAsync(host, ct);
    }

    /// <param name="resolve">Name resolution (tests substitute a fake DNS that answers as an attacker's would).</param>
    public SafeHttpClientFactory(IOptions<WebhookDeliveryOptions> options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _options = options.Value;
        _policy = new AddressPolicy(_options.ParsedAllowedNetworks());
        _resolve = resolve;
        _handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionLifetime = _options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = _options.MaxConnectionsPerServer,
            MaxResponseHeadersLength = 64, // KB
            ConnectCallback = ConnectAsync,
        };
        Client = CreateClient();
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Timeouts = new CallTimeouts(_options.RequestTimeout);
    }

    /// <summary>A client over the shared handler, with <see cref="WebhookDeliveryOptions.RequestTimeout"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// The shared handler without HttpClient's per-call timeout machinery: deliveries bound each call with
    /// <see cref="Timeouts"/> instead, which also covers reading the response excerpt.
    /// </summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Per-call cancellation with <see cref="WebhookDeliveryOptions.RequestTimeout"/>.</summary>
    public CallTimeouts Timeouts { get; }

    /// <summary>The policy the connect step applies.</summary>
    public AddressPolicy Policy => _policy;

    /// <summary>A new client over the shared, guarded handler (cheap: connections stay pooled in the handler).</summary>
    public HttpClient CreateClient() => new(_handler, disposeHandler: false) { Timeout = _options.RequestTimeout };

    /// <summary>The address last dialled for a host and port (the receiver's IP, for attempt logs), or null.</summary>
    public string? LastAddress(Uri url) =>
        _lastAddress.TryGetValue((url.IdnHost, url.Port), out var address) ? AddressPolicy.Canonical(address).ToString() : null;

    /// <summary>Whether a webhook URL is acceptable at all before any address is looked at: absolute http(s), no user info.</summary>
    public static string? UrlProblem(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri) return "the URL must be absolute";
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) return "the URL must start with http:// or https://";
        if (!string.IsNullOrEmpty(url.UserInfo)) return "the URL must not contain a user name or password";
        if (string.IsNullOrEmpty(url.Host)) return "the URL has no host";
        return null;
    }

    /// <summary>Resolves the host and returns the addresses a webhook may connect to; throws when none remain.</summary>
    public async Task<IReadOnlyList<IPAddress>> VetAsync(string host, CancellationToken cancellationToken)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await _resolve(bare, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        var vetted = new List<IPAddress>(addresses.Length);
        WebhookAddressRefusedException? firstRefusal = null;
        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } kind)
            {
                firstRefusal ??= new WebhookAddressRefusedException(host, AddressPolicy.Canonical(address), kind);
            }
            else
            {
                vetted.Add(address);
            }
        }

        return vetted.Count > 0 ? vetted : throw firstRefusal!;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var vetted = await VetAsync(context.DnsEndPoint.Host, cancellationToken);
        Exception? last = null;
        foreach (var address in vetted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // The vetted IPAddress itself, never the name: nothing is resolved again.
                _lastAddress[(context.DnsEndPoint.Host, context.DnsEndPoint.Port)] = address;
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    public void Dispose()
    {
        Client.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }
}
