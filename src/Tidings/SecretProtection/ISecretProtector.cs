namespace Tidings.SecretProtection;

/// <summary>
/// Encrypts secrets before they are stored and decrypts them after they are read. <c>purpose</c> names where the value
/// is stored (e.g. <c>webhook_secrets.secret</c>): a value only decrypts with the purpose it was encrypted with, so it
/// cannot be moved to another column. Reading accepts values stored before encryption as they are.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The id of the master key new values are encrypted with.</summary>
    string PrimaryKeyId { get; }

    string Protect(string purpose, string plaintext);

    /// <summary>For a binary column: the stored form as ASCII bytes.</summary>
    byte[] Protect(string purpose, byte[] plaintext);

    /// <summary>The plaintext; throws <see cref="SecretDecryptionException"/> when an encrypted value cannot be decrypted.</summary>
    string Unprotect(string purpose, string stored);

    /// <inheritdoc cref="Unprotect(string, string)"/>
    byte[] Unprotect(string purpose, byte[] stored);

    /// <summary>The id of the master key a stored value is encrypted with, or null for a value stored before encryption.</summary>
    string? KeyIdOf(string stored);

    /// <inheritdoc cref="KeyIdOf(string)"/>
    string? KeyIdOf(byte[] stored);
}
