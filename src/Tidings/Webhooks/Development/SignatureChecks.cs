using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Development;

/// <summary>One call as the local receiver got it: what a signature check needs.</summary>
/// <param name="RequestTarget">The path and query exactly as sent (the <c>(request-target)</c>).</param>
internal sealed record IncomingCall(string Method, string RequestTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The outcome of one scheme's check: <c>signature ok (…)</c> or <c>signature INVALID: reason</c>.</summary>
internal sealed record SignatureVerdict(string Scheme, bool Valid, string Detail)
{
    public override string ToString() => Valid ? $"{Scheme}: signature ok ({Detail})" : $"{Scheme}: signature INVALID: {Detail}";
}

/// <summary>
/// Checks a received call the way a receiver would: the Copernica scheme against the keys this server publishes (as
/// Copernica's verifier does: digest, covered headers, key, RSA), Standard Webhooks against the secrets of the
/// webhooks that point at the receiver (<c>v1</c> HMAC, <c>v1a</c> ed25519, timestamp within five minutes).
/// </summary>
internal sealed class SignatureChecks(SigningKeyStore keys, WebhookSecretTable secrets, IOptions<WebhookSigningOptions> signing, TimeProvider time)
{
    public const string CopernicaScheme = "copernica";
    public const string StandardScheme = "standard webhooks";

    /// <summary>The headers Copernica's verifier requires the signature to cover.</summary>
    private static readonly string[] RequiredCoverage = ["(request-target)", "host", "date", "digest", "x-copernica-id", "x-nonce"];

    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A verdict for each scheme the call carries or its webhooks sign with (none when neither: an unsigned call to an
    /// unsigned webhook).
    /// </summary>
    public async Task<IReadOnlyList<SignatureVerdict>> CheckAsync(IncomingCall call, IReadOnlyList<WebhookRecord> webhooks, CancellationToken ct)
    {
        var verdicts = new List<SignatureVerdict>();
        if (call.Header("Signature") is not null || webhooks.Any(w => w.Signing is WebhookSigningSchemes.Copernica or WebhookSigningSchemes.Both))
        {
            verdicts.Add(await CopernicaAsync(call, ct));
        }

        if (call.Header(StandardWebhooksSigner.SignatureHeader) is not null || webhooks.Any(w => w.Signing is WebhookSigningSchemes.Standard or WebhookSigningSchemes.Both))
        {
            verdicts.Add(await StandardAsync(call, webhooks, ct));
        }

        return verdicts;
    }

    private async Task<SignatureVerdict> CopernicaAsync(IncomingCall call, CancellationToken ct)
    {
        if (call.Header("Signature") is not { } header) return Invalid(CopernicaScheme, "no Signature header");
        if (HttpSignature.Parse(header) is not { } signature) return Invalid(CopernicaScheme, "the Signature header has no keyId or signature");
        if (signature.Algorithm != SigningKey.RsaSha256) return Invalid(CopernicaScheme, $"algorithm \"{signature.Algorithm}\", expected {SigningKey.RsaSha256}");

        var covered = signature.Headers.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        var uncovered = RequiredCoverage.Where(h => !covered.Contains(h)).ToList();
        if (uncovered.Count > 0) return Invalid(CopernicaScheme, "the signature does not cover " + string.Join(", ", uncovered));
        var absent = covered.Where(h => h != "(request-target)" && call.Header(h) is null).ToList();
        if (absent.Count > 0) return Invalid(CopernicaScheme, "signed headers missing from the call: " + string.Join(", ", absent));
        if (DigestProblem(call.Header("Digest")!, call.Body) is { } problem) return Invalid(CopernicaScheme, problem);

        var domain = signing.Value.Domain;
        var key = (await keys.ListPublishedAsync(ct)).FirstOrDefault(k => string.Equals(k.KeyId(domain), signature.KeyId, StringComparison.OrdinalIgnoreCase));
        if (key is null) return Invalid(CopernicaScheme, $"keyId {signature.KeyId} is not a key this server publishes");

        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(signature.Signature);
        }
        catch (FormatException)
        {
            return Invalid(CopernicaScheme, "the signature is not base64");
        }

        var signingString = CopernicaSigner.SigningString(signature.Headers,
            name => name == "(request-target)" ? CopernicaSignerTarget(call) : call.Header(name)!);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
        return rsa.VerifyData(Encoding.UTF8.GetBytes(signingString), signatureBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? new SignatureVerdict(CopernicaScheme, true, $"keyId {signature.KeyId}")
            : Invalid(CopernicaScheme, $"the RSA signature does not match the signed headers (keyId {signature.KeyId})");
    }

    private static string CopernicaSignerTarget(IncomingCall call) => call.Method.ToLowerInvariant() + " " + call.RequestTarget;

    /// <summary>
    /// Null when a <c>sha-256</c> digest in the header (RFC 3230: <c>alg=value</c>, comma-separated; the token in any
    /// case) matches the body; otherwise what is wrong.
    /// </summary>
    private static string? DigestProblem(string header, byte[] body)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !string.Equals(part[..equals], "sha-256", StringComparison.OrdinalIgnoreCase)) continue;
            var expected = Convert.ToBase64String(SHA256.HashData(body));
            return part[(equals + 1)..] == expected ? null : "the Digest does not match the body";
        }

        return $"no sha-256 value in the Digest header \"{header}\"";
    }

    private async Task<SignatureVerdict> StandardAsync(IncomingCall call, IReadOnlyList<WebhookRecord> webhooks, CancellationToken ct)
    {
        var id = call.Header(StandardWebhooksSigner.IdHeader);
        var timestampText = call.Header(StandardWebhooksSigner.TimestampHeader);
        var header = call.Header(StandardWebhooksSigner.SignatureHeader);
        if (id is null || timestampText is null || header is null)
        {
            return Invalid(StandardScheme, $"the call lacks {StandardWebhooksSigner.IdHeader}, {StandardWebhooksSigner.TimestampHeader} or {StandardWebhooksSigner.SignatureHeader}");
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)) return Invalid(StandardScheme, $"webhook-timestamp \"{timestampText}\" is not a number of seconds");
        var now = time.GetUtcNow();
        var offset = TimeSpan.FromSeconds(Math.Abs(now.ToUnixTimeSeconds() - timestamp));
        if (offset > Tolerance) return Invalid(StandardScheme, $"webhook-timestamp is {offset.TotalSeconds:0} seconds off (more than {Tolerance.TotalMinutes:0} minutes)");
        if (webhooks.Count == 0) return Invalid(StandardScheme, "no webhook of this server points here, so there is no secret to check it with");

        var content = StandardWebhooksSigner.SignedContent(id, timestamp, call.Body);
        var given = header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split(',', 2)).Where(p => p.Length == 2).ToList();
        foreach (var webhook in webhooks)
        {
            var versions = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var secret in await secrets.ReadAsync(webhook.Id, now, ct))
            {
                if (Matches(secret, content, given) is { } version) versions.Add(version);
            }

            if (versions.Count > 0) return new SignatureVerdict(StandardScheme, true, $"{string.Join(" and ", versions)}, webhook {webhook.Id}");
        }

        return Invalid(StandardScheme, $"no signature matches a secret of webhook {string.Join(", ", webhooks.Select(w => w.Id))}");
    }

    /// <summary>The version (<c>v1</c>, <c>v1a</c>) of a given signature that this secret confirms, or null.</summary>
    private static string? Matches(StoredWebhookSecret secret, byte[] content, IReadOnlyList<string[]> given)
    {
        if (secret.Kind == WebhookSecretKinds.Hmac)
        {
            var expected = Encoding.ASCII.GetBytes(WebhookSecret.Parse(secret.Secret).Sign(content));
            return given.Any(p => p[0] == "v1" && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(p[1]))) ? "v1" : null;
        }

        if (secret.Kind == WebhookSecretKinds.Ed25519 && secret.IsCurrent)
        {
            var publicKey = Ed25519WebhookKey.Parse(secret.Secret).PublicKey;
            return given.Any(p => p[0] == "v1a" && Ed25519WebhookKey.Verify(publicKey, content, p[1])) ? "v1a" : null;
        }

        return null;
    }

    private static SignatureVerdict Invalid(string scheme, string why) => new(scheme, false, why);
}
