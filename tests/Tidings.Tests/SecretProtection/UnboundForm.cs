using System.Security.Cryptography;
using System.Text;
using Tidings.SecretProtection;

namespace Tidings.Tests.SecretProtection;

/// <summary>Values in the older stored form (<c>enc:v1:</c>), bound to their column but not their row, as versions before row binding wrote them.</summary>
internal static class UnboundForm
{
    public static string Seal(MasterKey key, string purpose, string plaintext) => Seal(key, purpose, Encoding.UTF8.GetBytes(plaintext));

    public static string Seal(MasterKey key, string purpose, byte[] plaintext)
    {
        var sealedBytes = new byte[12 + plaintext.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(key.Key, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plaintext, sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length),
            SecretEnvelope.UnboundAssociatedData(key.Id, purpose));
        return $"enc:v1:{key.Id}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The master key in a key file, as the server reads it.</summary>
    public static MasterKey FromFile(string path) => MasterKeyFile.Read(path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)!;
}
