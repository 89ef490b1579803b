using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Tidings.SecretProtection;

/// <summary>One 256-bit AES master key and the id written in front of every value it encrypts.</summary>
internal sealed partial class MasterKey
{
    public const int Bytes = 32;

    public MasterKey(string id, byte[] key)
    {
        if (!IsValidId(id)) throw new ArgumentException($"'{id}' is not a valid master key id.", nameof(id));
        if (key.Length != Bytes) throw new ArgumentException($"A master key is {Bytes} bytes.", nameof(key));
        Id = id;
        Key = key;
    }

    public string Id { get; }

    public byte[] Key { get; }

    /// <summary>No <c>:</c>, the separator of the stored format.</summary>
    public static bool IsValidId(string id) => ValidId().IsMatch(id);

    /// <summary>The key in base64 (surrounding white space allowed), or null when it is not exactly <see cref="Bytes"/> bytes.</summary>
    public static byte[]? TryDecode(string? base64)
    {
        var text = base64?.Trim() ?? "";
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var length) && length == Bytes ? buffer[..Bytes] : null;
    }

    /// <summary>
    /// The id of a key that has no configured name (the key file's): derived from the key, so every node holding the
    /// same file agrees on it, without revealing anything about the key.
    /// </summary>
    public static string DerivedId(byte[] key) =>
        "file_" + Convert.ToHexStringLower(HMACSHA256.HashData(key, "tidings master key id"u8))[..8];

    public override string ToString() => Id;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidId();
}
