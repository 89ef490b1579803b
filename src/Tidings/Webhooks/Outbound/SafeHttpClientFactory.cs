using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// The HTTP client webhook calls go out with, guarded against server-side request forgery. One shared
/// <see cref="SocketsHttpHandler"/> (pooled connections) whose connect step resolves the host itself, drops every
/// address that <see cref="AddressPolicy"/> refuses and connects to a vetted address — the address that was checked is
/// the address that is dialled, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// Redirects are never followed (a 3xx is the answer), cookies are not kept, and no proxy is used (a proxy would resolve
/// the name again, past the guard).
/// </summary>
internal sealed class SafeHttpClientFactory : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly AddressPolicy _policy;
    private readonly WebhookOutboundOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Dictionary<string, IPAddress> _fixedAnswers = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _allowLoopbackHosts;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Host, int Port), IPAddress> _lastAddress = new();

    public SafeHttpClientFactory(IOptions<WebhookOutboundOptions> options)
        : this(options, Dns.GetHostAddressesAsync)
    {
    }

    /// <param name="development">With <see cref="WebhookDevelopmentOptions.AllowLoopback"/>, handlers on <c>localhost</c> or a
    /// loopback address are called (those hosts only, see <see cref="LoopbackHosts"/>).</param>
    public SafeHttpClientFactory(IOptions<WebhookOutboundOptions> options, IOptions<WebhookDevelopmentOptions> development)
        : this(options, Dns.GetHostAddressesAsync, development.Value.AllowLoopback)
    {
    }

    /// <param name="resolve">Name resolution for names not in <see cref="WebhookOutboundOptions.Hosts"/> (tests substitute
    /// a fake DNS that answers as an attacker's would).</param>
    public SafeHttpClientFactory(IOptions<WebhookOutboundOptions> options, Func<string, CancellationToken, Task<IPAddress[]>> resolve, bool allowLoopbackHosts = false)
    {
        _options = options.Value;
        _policy = new AddressPolicy(_options.ParsedAllowedNetworks());
        _resolve = resolve;
        _allowLoopbackHosts = allowLoopbackHosts;
        foreach (var (name, address) in _options.Hosts) _fixedAnswers[name.TrimEnd('.')] = IPAddress.Parse(address);
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
            // .NET adds the current span's traceparent to every request once tracing is on; a receiver gets one only
            // when its webhook asks for it (trace_context), and then from the call's own span (WebhookSender).
            ActivityHeadersPropagator = null,
        };
        Client = CreateClient();
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Timeouts = new CallTimeouts(_options.RequestTimeout);
    }

    /// <summary>A client over the shared handler, with <see cref="WebhookOutboundOptions.RequestTimeout"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// The shared handler without HttpClient's per-call timeout machinery: deliveries bound each call with
    /// <see cref="Timeouts"/> instead, which also covers reading the response excerpt.
    /// </summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Per-call cancellation with <see cref="WebhookOutboundOptions.RequestTimeout"/>.</summary>
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

    /// <summary>Whether handlers on <c>localhost</c> and loopback addresses may be called (the development setting).</summary>
    public bool AllowsLoopbackHosts => _allowLoopbackHosts;

    /// <summary>The address <see cref="WebhookOutboundOptions.Hosts"/> gives a name, or null.</summary>
    public IPAddress? FixedAnswer(string host) => _fixedAnswers.GetValueOrDefault(host.TrimEnd('.'));

    /// <summary>Resolves the host and returns the addresses a webhook may connect to; throws when none remain.</summary>
    public Task<IReadOnlyList<IPAddress>> VetAsync(string host, CancellationToken cancellationToken) => VetAsync(host, _resolve, cancellationToken);

    /// <summary>
    /// The same, with <paramref name="resolve"/> asked for names that are neither an address nor in
    /// <see cref="WebhookOutboundOptions.Hosts"/> (domain validation asks its own name server).
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> VetAsync(string host, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        // localhost is never looked up: it is this machine, whatever a resolver or the hosts file says.
        if (_allowLoopbackHosts && LoopbackHosts.Addresses(bare) is { } loopback) return loopback;
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal]
            : FixedAnswer(bare) is { } fixedAnswer ? [fixedAnswer]
            : await resolve(bare, cancellationToken);
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
