namespace Tidings.SecretProtection;

/// <summary>
/// A stored secret could not be decrypted: its master key is not configured on this node, is not the key it was
/// encrypted with, or the value was altered. Nothing is signed with such a value.
/// </summary>
internal sealed class SecretDecryptionException(string message, string purpose, string? keyId, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Where the value is stored, e.g. <c>webhook_secrets.secret</c>.</summary>
    public string Purpose { get; } = purpose;

    /// <summary>The master key id the value names, or null when even that could not be read.</summary>
    public string? KeyId { get; } = keyId;
}
