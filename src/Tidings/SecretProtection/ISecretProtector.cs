namespace Tidings.SecretProtection;

/// <summary>How a stored value is kept.</summary>
internal enum SecretForm
{
    /// <summary>Stored before encryption existed: read as it is, encrypted at the next start.</summary>
    Plaintext,

    /// <summary>Encrypted in the older form, bound to its column but not its row: read until its column is upgraded.</summary>
    Unbound,

    /// <summary>Encrypted and bound to its column and its row.</summary>
    Bound,
}

/// <summary>
/// Encrypts secrets before they are stored and decrypts them after they are read. <c>purpose</c> names the column the
/// value is stored in (e.g. <c>webhook_secrets.secret</c>) and <c>rowId</c> its row: a value only decrypts in the
/// column and the row it was encrypted for, so it cannot be moved to another column or copied onto another row.
/// Reading accepts values stored before encryption as they are.
/// </summary>
internal interface ISecretProtector
{
    /// <summary>The id of the master key new values are encrypted with.</summary>
    string PrimaryKeyId { get; }

    string Protect(string purpose, long rowId, string plaintext);

    /// <summary>For a binary column: the stored form as ASCII bytes.</summary>
    byte[] Protect(string purpose, long rowId, byte[] plaintext);

    /// <summary>The plaintext; throws <see cref="SecretDecryptionException"/> when an encrypted value cannot be decrypted.</summary>
    string Unprotect(string purpose, long rowId, string stored);

    /// <inheritdoc cref="Unprotect(string, long, string)"/>
    byte[] Unprotect(string purpose, long rowId, byte[] stored);

    /// <summary>The id of the master key a stored value is encrypted with, or null for a value stored before encryption.</summary>
    string? KeyIdOf(string stored);

    /// <inheritdoc cref="KeyIdOf(string)"/>
    string? KeyIdOf(byte[] stored);

    SecretForm FormOf(string stored);

    /// <inheritdoc cref="FormOf(string)"/>
    SecretForm FormOf(byte[] stored);

    /// <summary>
    /// From now on, refuses values of the column in the older form that is not bound to its row: every value of it was
    /// rewritten, so such a value was copied there or restored from an old backup.
    /// </summary>
    void RefuseUnbound(string purpose);
}
