using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Tidings.Webhooks.Signing;

/// <summary>
/// Signs the way Copernica does: <c>Date</c> (RFC 1123, GMT), <c>X-Copernica-ID</c>, <c>Digest: sha-256=&lt;base64&gt;</c>
/// (RFC 3230/5843), a random <c>X-Nonce</c>, and a <c>Signature</c> header per draft-cavage-http-signatures with
/// <c>rsa-sha256</c> over <see cref="SignedHeaders"/>. The <c>keyId</c> is the DNS name where the public key is published
/// as a DKIM record. The delivery engine must send <c>Host</c> and <c>Content-Length</c> exactly as derived from the URL
/// and body (as <see cref="HttpClient"/> does) and must not change any header this signer returns.
/// </summary>
internal sealed partial class CopernicaSigner(ISigningKeySource keys, IOptions<WebhookSigningOptions> options, TimeProvider time) : IWebhookSigner
{
    /// <summary>The signed headers, in order, as Copernica's documentation lists them.</summary>
    public const string SignedHeaders = "(request-target) host date content-length content-type x-copernica-id digest x-nonce";

    public const string DefaultContentType = "application/json";

    public string Scheme => "copernica";

    public async ValueTask<IReadOnlyList<KeyValuePair<string, string>>> SignAsync(OutgoingWebhookRequest request, CancellationToken cancellationToken = default)
    {
        var key = await keys.GetSigningKeyAsync(cancellationToken);
        var settings = options.Value;
        var added = new List<KeyValuePair<string, string>>();

        var contentType = request.Header("Content-Type");
        if (contentType is null)
        {
            contentType = DefaultContentType;
            added.Add(new("Content-Type", contentType));
        }

        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var copernicaId = CopernicaId(settings.CopernicaIdFormat, request.AccountId);
        var digest = Digest(request.Body.Span);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(settings.NonceBytes));
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["(request-target)"] = RequestTarget(request.Method, request.Url),
            ["host"] = Host(request.Url),
            ["date"] = date,
            ["content-length"] = request.Body.Length.ToString(CultureInfo.InvariantCulture),
            ["content-type"] = contentType,
            ["x-copernica-id"] = copernicaId,
            ["digest"] = digest,
            ["x-nonce"] = nonce,
        };
        var signingString = SigningString(SignedHeaders, name => values[name]);

        var signature = Sign(key, Encoding.UTF8.GetBytes(signingString));

        added.Add(new("Date", date));
        added.Add(new("X-Copernica-ID", copernicaId));
        added.Add(new("Digest", digest));
        added.Add(new("X-Nonce", nonce));
        added.Add(new("Signature", new HttpSignature(key.KeyId(settings.Domain), key.Algorithm, SignedHeaders, signature).ToString()));
        return added;
    }

    /// <summary>
    /// Importing the PKCS#8 key costs more than signing with it, so each key's imported RSA objects are kept in a pool
    /// (one per concurrent signer: an RSA object is not documented as safe to share between threads). Only the current
    /// key's pool is kept; a rotation starts a new one.
    /// </summary>
    private string Sign(SigningKey key, byte[] data)
    {
        var pool = Volatile.Read(ref _pool);
        if (pool is null || !(ReferenceEquals(pool.Key, key.PrivateKey) || pool.Key.AsSpan().SequenceEqual(key.PrivateKey)))
        {
            pool = new RsaPool(key.PrivateKey);
            Volatile.Write(ref _pool, pool);
        }

        if (!pool.Idle.TryTake(out var rsa))
        {
            rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(key.PrivateKey, out _);
        }

        try
        {
            return Convert.ToBase64String(rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        finally
        {
            if (pool.Idle.Count < MaxPooled) pool.Idle.Add(rsa);
            else rsa.Dispose();
        }
    }

    private const int MaxPooled = 64;
    private RsaPool? _pool;

    private sealed record RsaPool(byte[] Key)
    {
        public System.Collections.Concurrent.ConcurrentBag<RSA> Idle { get; } = [];
    }

    public static string CopernicaId(string format, long accountId) =>
        format.Replace("{id}", accountId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// RFC 3230 instance digest of the exact body: <c>sha-256=&lt;base64&gt;</c>. RFC 3230 calls the token
    /// case-insensitive, but Copernica's own PHP verifier (what receivers run) only knows it in lower case.
    /// </summary>
    public static string Digest(ReadOnlySpan<byte> body) => "sha-256=" + Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>The <c>(request-target)</c> value: lower-case method, a space, the path and query as sent.</summary>
    public static string RequestTarget(string method, Uri url) => method.ToLowerInvariant() + " " + url.PathAndQuery;

    /// <summary>The <c>Host</c> header an HTTP client sends for <paramref name="url"/> (port only when not the default).</summary>
    public static string Host(Uri url) => url.IsDefaultPort ? url.IdnHost : url.IdnHost + ":" + url.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The draft-cavage signing string: per listed header, in order, <c>lower(name): trim(value)</c>, joined by
    /// <c>\n</c>. An empty list means just <c>date</c>.
    /// </summary>
    public static string SigningString(string headers, Func<string, string> valueOf)
    {
        var names = headers.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) names = ["date"];
        return string.Join('\n', names.Select(n => n.ToLowerInvariant() + ": " + valueOf(n.ToLowerInvariant()).Trim()));
    }
}

/// <summary>The parameters of a draft-cavage <c>Signature</c> header.</summary>
internal sealed partial record HttpSignature(string KeyId, string Algorithm, string Headers, string Signature)
{
    public override string ToString() => $"keyId=\"{KeyId}\",algorithm=\"{Algorithm}\",headers=\"{Headers}\",signature=\"{Signature}\"";

    /// <summary>
    /// Parses leniently, as Copernica's own verifier does (<c>name="value"</c> pairs, commas optional, line breaks
    /// allowed). Returns null without <c>keyId</c> or <c>signature</c>.
    /// </summary>
    public static HttpSignature? Parse(string header)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Pair().Matches(header)) values.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        if (!values.TryGetValue("keyId", out var keyId) || !values.TryGetValue("signature", out var signature)) return null;
        var headers = values.GetValueOrDefault("headers", "");
        return new HttpSignature(
            keyId,
            values.GetValueOrDefault("algorithm", "").ToLowerInvariant(),
            string.Join(' ', headers.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)),
            string.Concat(signature.Where(ch => !char.IsWhiteSpace(ch))));
    }

    [GeneratedRegex("([a-zA-Z]+)=\"(.*?)\"", RegexOptions.Singleline)]
    private static partial Regex Pair();
}
