using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Tidings.Webhooks.Signing;

/// <summary>Thrown for a secret or key that is empty, not base64, or of the wrong length.</summary>
internal sealed class InvalidWebhookSecretException(string message) : FormatException(message);

/// <summary>
/// A Standard Webhooks symmetric secret: 24 to 64 random bytes, written as <c>whsec_</c> + base64. The HMAC key is
/// the decoded bytes.
/// </summary>
internal sealed class WebhookSecret
{
    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    public const string Prefix = "whsec_";

    /// <summary>The HMAC-SHA256 key (a copy).</summary>
    public byte[] Key => (byte[])_key.Clone();

    /// <summary>A new secret of <paramref name="bytes"/> random bytes.</summary>
    public static WebhookSecret Generate(int bytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, StandardWebhooksSecrets.MinSecretBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, StandardWebhooksSecrets.MaxSecretBytes);
        return new WebhookSecret(RandomNumberGenerator.GetBytes(bytes));
    }

    /// <summary>
    /// Parses <c>whsec_&lt;base64&gt;</c> or the bare base64. Like the reference libraries, any length that decodes to
    /// at least one byte is accepted (so secrets issued elsewhere keep working); padding may be left out.
    /// </summary>
    public static WebhookSecret Parse(string secret)
    {
        var key = StandardWebhooksSecrets.DecodeBase64(StandardWebhooksSecrets.StripPrefix(secret, Prefix), "secret");
        return new WebhookSecret(key);
    }

    /// <summary>The serialised form, <c>whsec_</c> + base64.</summary>
    public override string ToString() => Prefix + Convert.ToBase64String(_key);

    /// <summary>The Standard Webhooks <c>v1</c> signature (base64, without the <c>v1,</c>) of <paramref name="signedContent"/>.</summary>
    public string Sign(ReadOnlySpan<byte> signedContent) => Sign(signedContent, []);

    /// <summary>The same, of <paramref name="head"/> followed by <paramref name="body"/> (no copy of the body is made).</summary>
    public string Sign(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        // A keyed HMAC state is reused (reset after each use): keying a fresh one costs about as much as the hashing.
        if (!_hmacs.TryDequeue(out var hmac)) hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            hmac.AppendData(head);
            hmac.AppendData(body);
            hmac.GetHashAndReset(mac);
        }
        catch
        {
            hmac.Dispose();
            throw;
        }

        if (_hmacs.Count < KeptHmacs) _hmacs.Enqueue(hmac);
        else hmac.Dispose();
        return Convert.ToBase64String(mac);
    }

    private const int KeptHmacs = 64;
    private readonly System.Collections.Concurrent.ConcurrentQueue<IncrementalHash> _hmacs = new();
}

/// <summary>
/// A Standard Webhooks asymmetric (ed25519) key pair: secret key <c>whsk_</c> + base64(32-byte seed + 32-byte public
/// key), public key <c>whpk_</c> + base64(32 bytes), as Svix publishes them.
/// </summary>
internal sealed class Ed25519WebhookKey
{
    private readonly Ed25519PrivateKeyParameters _private;

    private Ed25519WebhookKey(Ed25519PrivateKeyParameters key)
    {
        _private = key;
        PublicKey = key.GeneratePublicKey().GetEncoded();
    }

    public const string SecretPrefix = "whsk_";
    public const string PublicPrefix = "whpk_";

    /// <summary>The 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    public static Ed25519WebhookKey Generate() => new(new Ed25519PrivateKeyParameters(RandomNumberGenerator.GetBytes(32)));

    /// <summary>
    /// Parses a secret key, with or without <c>whsk_</c>: 64 bytes (seed and public key, which must belong together)
    /// or just the 32-byte seed.
    /// </summary>
    public static Ed25519WebhookKey Parse(string secretKey)
    {
        var bytes = StandardWebhooksSecrets.DecodeBase64(StandardWebhooksSecrets.StripPrefix(secretKey, SecretPrefix), "ed25519 secret key");
        if (bytes.Length is not (32 or 64))
        {
            throw new InvalidWebhookSecretException($"An ed25519 secret key is 32 or 64 bytes, not {bytes.Length}.");
        }

        var key = new Ed25519WebhookKey(new Ed25519PrivateKeyParameters(bytes, 0));
        if (bytes.Length == 64 && !CryptographicOperations.FixedTimeEquals(key.PublicKey, bytes.AsSpan(32)))
        {
            throw new InvalidWebhookSecretException("The public half of the ed25519 secret key does not belong to its private half.");
        }

        return key;
    }

    /// <summary>Parses a public key (<c>whpk_</c> + base64 of 32 bytes, prefix optional) into its raw bytes.</summary>
    public static byte[] ParsePublicKey(string publicKey)
    {
        var bytes = StandardWebhooksSecrets.DecodeBase64(StandardWebhooksSecrets.StripPrefix(publicKey, PublicPrefix), "ed25519 public key");
        if (bytes.Length != 32) throw new InvalidWebhookSecretException($"An ed25519 public key is 32 bytes, not {bytes.Length}.");
        return bytes;
    }

    /// <summary><c>whsk_</c> + base64(seed + public key).</summary>
    public string SecretKeyString() => SecretPrefix + Convert.ToBase64String([.. _private.GetEncoded(), .. PublicKey]);

    /// <summary><c>whpk_</c> + base64(public key): what the receiver configures.</summary>
    public string PublicKeyString() => PublicPrefix + Convert.ToBase64String(PublicKey);

    /// <summary>Never prints the secret half.</summary>
    public override string ToString() => PublicKeyString();

    /// <summary>The Standard Webhooks <c>v1a</c> signature (base64, without the <c>v1a,</c>) of <paramref name="signedContent"/>.</summary>
    public string Sign(ReadOnlySpan<byte> signedContent) => Sign(signedContent, []);

    /// <summary>The same, of <paramref name="head"/> followed by <paramref name="body"/>.</summary>
    public string Sign(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(head);
        signer.BlockUpdate(body);
        return Convert.ToBase64String(signer.GenerateSignature());
    }

    /// <summary>Checks a <c>v1a</c> signature against a raw 32-byte public key.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> signedContent, string base64Signature)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(base64Signature); }
        catch (FormatException) { return false; }

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.BlockUpdate(signedContent);
        return verifier.VerifySignature(signature);
    }
}

internal static class StandardWebhooksSecrets
{
    public const int MinSecretBytes = 24;
    public const int MaxSecretBytes = 64;

    internal static string StripPrefix(string value, string prefix)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidWebhookSecretException("The secret is empty.");
        value = value.Trim();
        return value.StartsWith(prefix, StringComparison.Ordinal) ? value[prefix.Length..] : value;
    }

    /// <summary>Standard base64; missing padding is tolerated (as the Python reference library does).</summary>
    internal static byte[] DecodeBase64(string value, string what)
    {
        if (value.Length == 0) throw new InvalidWebhookSecretException($"The {what} is empty.");
        var padded = value.Length % 4 == 0 ? value : value + new string('=', 4 - (value.Length % 4));
        byte[] bytes;
        try { bytes = Convert.FromBase64String(padded); }
        catch (FormatException) { throw new InvalidWebhookSecretException($"The {what} is not valid base64."); }

        if (bytes.Length == 0) throw new InvalidWebhookSecretException($"The {what} is empty.");
        return bytes;
    }
}
