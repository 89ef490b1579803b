using System.Globalization;
using System.Text;

namespace Tidings.SecretProtection;

/// <summary>
/// The stored form of an encrypted value: <c>enc:&lt;version&gt;:&lt;keyId&gt;:&lt;base64(nonce | ciphertext | tag)&gt;</c>,
/// as text, or as its ASCII bytes in a binary column. Anything not starting with <c>enc:</c> is a value stored before
/// encryption (a <c>whsec_</c>/<c>whsk_</c> secret, or DER, which starts with byte 0x30).
/// </summary>
/// <remarks>
/// <c>v2</c> binds the ciphertext to its column and its row; <c>v1</c>, the older form, only to its column, so that a
/// value copied onto another row of the same column decrypted there. <c>v1</c> values are read until every value of
/// their column has been rewritten as <c>v2</c> (at start, see <see cref="SecretColumnSweep"/>), and refused after.
/// </remarks>
internal sealed record SecretEnvelope(string Version, string KeyId, string Payload)
{
    public const string Prefix = "enc:";
    public const string CurrentVersion = "v2";
    public const string UnboundVersion = "v1";

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

    /// <summary>The additional data a <see cref="CurrentVersion"/> ciphertext is bound to: the format, the key id, the column and the row.</summary>
    public static byte[] AssociatedData(string keyId, string purpose, long rowId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{CurrentVersion}:{keyId}:{purpose}:{rowId}"));

    /// <summary>The additional data of the older <see cref="UnboundVersion"/> form: the format, the key id and the column.</summary>
    public static byte[] UnboundAssociatedData(string keyId, string purpose) =>
        Encoding.UTF8.GetBytes($"{Prefix}{UnboundVersion}:{keyId}:{purpose}");
}
