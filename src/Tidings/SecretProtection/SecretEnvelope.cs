using System.Text;

namespace Tidings.SecretProtection;

/// <summary>
/// The stored form of an encrypted value: <c>enc:v1:&lt;keyId&gt;:&lt;base64(nonce | ciphertext | tag)&gt;</c>, as text,
/// or as its ASCII bytes in a binary column. Anything not starting with <c>enc:</c> is a value stored before encryption
/// (a <c>whsec_</c>/<c>whsk_</c> secret, or DER, which starts with byte 0x30).
/// </summary>
public sealed record SecretEnvelope(string Version, string KeyId, string Payload)
{
    public const string Prefix = "enc:";
    public const string CurrentVersion = "v1";

    private static readonly byte[] PrefixBytes = Encoding.ASCII.GetBytes(Prefix);

    public override string ToString() => $"{Prefix}{Version}:{KeyId}:{Payload}";

    public static bool IsEnvelope(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool IsEnvelope(ReadOnlySpan<byte> stored) => stored.StartsWith(PrefixBytes);

    /// <summary>The parts of a stored value that <see cref="IsEnvelope(string)"/>; null when they are not all there.</summary>
    public static SecretEnvelope? Parse(string stored)
    {
        var parts = stored.Split(':', 4);
        return parts.Length == 4 && parts[0] + ":" == Prefix && parts[1].Length > 0 && parts[2].Length > 0
            ? new SecretEnvelope(parts[1], parts[2], parts[3])
            : null;
    }

    /// <summary>The additional data the ciphertext is bound to: the format, the key id and the column it belongs in.</summary>
    public static byte[] AssociatedData(string keyId, string purpose) =>
        Encoding.UTF8.GetBytes($"{Prefix}{CurrentVersion}:{keyId}:{purpose}");
}
