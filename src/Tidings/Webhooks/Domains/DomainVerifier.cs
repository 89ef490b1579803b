using System.Net;
using System.Net.Sockets;
using DnsClient;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Domains;

/// <summary>The outcome of one validation attempt: whether it succeeded and, either way, what was looked up and found.</summary>
internal sealed record VerificationResult(bool Validated, string Method, string Message);

/// <summary>
/// Checks that an account owns a domain: a TXT record <c>_tidings-challenge.&lt;domain&gt;</c> with value
/// <c>tidings-verification=&lt;token&gt;</c>, asked from the configured name server; or the legacy verification file,
/// fetched without following redirects from the callback's folder or the site root.
/// </summary>
internal sealed class DomainVerifier : IDisposable
{
    private readonly DomainOptions _options;
    private readonly LookupClient _dns;
    private readonly HttpClient _http;
    private readonly SafeHttpClientFactory _safe;

    /// <param name="safe">Its address rules apply here too: fetching a verification file is a request to a customer's
    /// host, with the same risk as delivering a webhook (settings <c>Webhooks:Delivery:AllowedNetworks</c> and
    /// <c>Hosts</c>, and <c>Webhooks:Development:AllowLoopback</c>).</param>
    public DomainVerifier(IOptions<DomainOptions> options, SafeHttpClientFactory safe)
    {
        _options = options.Value;
        _safe = safe;
        var lookup = string.IsNullOrWhiteSpace(_options.NameServer)
            ? new LookupClientOptions()
            : new LookupClientOptions(new NameServer(ParseEndPoint(_options.NameServer)));
        lookup.UseCache = false;
        lookup.Timeout = _options.Timeout;
        lookup.Retries = _options.Retries;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        _dns = new LookupClient(lookup);

        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // Through a proxy (HTTPS_PROXY, HTTP_PROXY) the connect step would vet the proxy's address, not the host's.
            UseProxy = false,
            ConnectTimeout = _options.Timeout,
            ConnectCallback = ConnectAsync,
            // No traceparent to a customer's host: it would tell an outsider this server's trace ids.
            ActivityHeadersPropagator = null,
        };
        _http = new HttpClient(handler) { Timeout = _options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Tidings-Domain-Verification/1.0");
    }

    internal static IPEndPoint ParseEndPoint(string text)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endPoint)) throw new InvalidOperationException($"Webhooks:Domains:NameServer '{text}' is not an IP address with an optional port");
        if (endPoint.Port == 0) endPoint.Port = 53;
        return endPoint;
    }

    public async Task<VerificationResult> VerifyDnsAsync(DomainRecord domain, CancellationToken ct)
    {
        var name = domain.TxtName;
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, QueryType.TXT, QueryClass.IN, ct);
        }
        catch (DnsResponseException ex)
        {
            return new VerificationResult(false, "dns", $"Looked up TXT {name}: the DNS query failed ({ex.Message}); expected \"{domain.TxtValue}\"");
        }

        if (response.HasError)
        {
            return new VerificationResult(false, "dns", $"Looked up TXT {name}: the DNS server answered {response.ErrorMessage}; expected \"{domain.TxtValue}\"");
        }

        var found = response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
        if (found.Any(v => string.Equals(v.Trim(), domain.TxtValue, StringComparison.Ordinal)))
        {
            return new VerificationResult(true, "dns", $"Found TXT {name} \"{domain.TxtValue}\"");
        }

        var what = found.Count == 0 ? "no TXT record" : "only " + string.Join(", ", found.Select(v => $"\"{v}\""));
        return new VerificationResult(false, "dns", $"Looked up TXT {name}: found {what}; expected \"{domain.TxtValue}\"");
    }

    /// <summary>
    /// The verification file at the folder of each callback URL and at its site root (in that order); with no callback
    /// URL, at <c>https://&lt;domain&gt;/</c>.
    /// </summary>
    public async Task<VerificationResult> VerifyFileAsync(DomainRecord domain, IReadOnlyList<string> callbackUrls, CancellationToken ct)
    {
        var candidates = Candidates(domain, callbackUrls);
        var tried = new List<string>();
        foreach (var url in candidates)
        {
            var (matched, found) = await FetchAsync(url, domain.FileContent, ct);
            if (matched) return new VerificationResult(true, "file", $"Found the verification file at {url}");
            tried.Add($"{url}: {found}");
        }

        return new VerificationResult(false, "file",
            $"Looked for the verification file {domain.FileName} containing \"{domain.FileContent}\"; " + string.Join("; ", tried));
    }

    internal static IReadOnlyList<string> Candidates(DomainRecord domain, IReadOnlyList<string> callbackUrls)
    {
        var result = new List<string>();
        foreach (var text in callbackUrls)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !HostNames.IsUnder(uri.IdnHost, domain.Domain)) continue;
            var path = uri.AbsolutePath;
            var folder = path[..(path.LastIndexOf('/') + 1)];
            var root = uri.GetLeftPart(UriPartial.Authority);
            Add(result, root + folder + domain.FileName);
            Add(result, root + "/" + domain.FileName);
        }

        if (result.Count == 0) Add(result, $"https://{LoopbackHosts.InUrl(domain.Domain)}/{domain.FileName}");
        return result;

        static void Add(List<string> list, string url)
        {
            if (!list.Contains(url, StringComparer.Ordinal)) list.Add(url);
        }
    }

    private async Task<(bool Matched, string Found)> FetchAsync(string url, string expected, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if ((int)response.StatusCode is >= 300 and < 400) return (false, $"redirect {(int)response.StatusCode} (redirects are not followed)");
            if (!response.IsSuccessStatusCode) return (false, $"HTTP {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[_options.MaxFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
            if (length > _options.MaxFileBytes) return (false, $"the body is longer than {_options.MaxFileBytes} bytes");
            var body = System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
            if (string.Equals(body, expected, StringComparison.Ordinal)) return (true, "match");
            var shown = body.Length > 80 ? body[..80] + "…" : body;
            return (false, $"found \"{shown}\"");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"could not fetch ({WebhookAddressRefusedException.From(ex)?.Message ?? ex.Message})");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, "timed out");
        }
    }

    /// <summary>
    /// Connects to an address the delivery rules allow (those of <see cref="SafeHttpClientFactory"/>: fixed
    /// <c>Hosts</c> answers, the loopback development setting, the address policy), resolving names with
    /// <see cref="ResolveAsync"/>.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var allowed = await _safe.VetAsync(context.DnsEndPoint.Host, ResolveAsync, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>With a configured name server, host names are resolved there too (A, then AAAA); else by the system.</summary>
    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_options.NameServer)) return await Dns.GetHostAddressesAsync(host, ct);
        var v4 = await _dns.QueryAsync(host, QueryType.A, QueryClass.IN, ct);
        var addresses = v4.Answers.ARecords().Select(r => r.Address).ToList();
        if (addresses.Count == 0)
        {
            var v6 = await _dns.QueryAsync(host, QueryType.AAAA, QueryClass.IN, ct);
            addresses.AddRange(v6.Answers.AaaaRecords().Select(r => r.Address));
        }

        if (addresses.Count == 0) throw new HttpRequestException($"{host} has no address (DNS A/AAAA)");
        return [.. addresses];
    }

    public void Dispose() => _http.Dispose();
}
