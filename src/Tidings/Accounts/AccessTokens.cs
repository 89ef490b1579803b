using System.Security.Cryptography;

namespace Tidings.Accounts;

/// <summary>
/// Access tokens: 192 random bits shown to the user once; only their SHA-256 hash is stored, and a presented token is
/// compared with the stored hash in constant time.
/// </summary>
internal static class AccessTokens
{
    public const int RandomBytes = 24;

    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    public static bool Matches(string token, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);

    /// <summary>The first characters of a token, stored so that a user can tell their tokens apart.</summary>
    public static string Prefix(string token) => token[..Math.Min(8, token.Length)];
}
