using System.Security.Cryptography;
using System.Text;

namespace Tidings.SecretProtection;

/// <summary>
/// AES-256-GCM with a random 12-byte nonce per value. The key id and purpose are bound as associated data, so neither
/// the id in front of a value nor the column it sits in can be changed without decryption failing.
/// </summary>
public sealed class AesGcmSecretProtector(MasterKeyRing keys) : ISecretProtector
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string PrimaryKeyId => keys.Primary.Id;

    public string Protect(string purpose, string plaintext) => Seal(purpose, Encoding.UTF8.GetBytes(plaintext));

    public byte[] Protect(string purpose, byte[] plaintext) => Encoding.ASCII.GetBytes(Seal(purpose, plaintext));

    public string Unprotect(string purpose, string stored) =>
        SecretEnvelope.IsEnvelope(stored) ? Encoding.UTF8.GetString(Open(purpose, stored)) : stored;

    public byte[] Unprotect(string purpose, byte[] stored) =>
        SecretEnvelope.IsEnvelope(stored) ? Open(purpose, Encoding.ASCII.GetString(stored)) : stored;

    public string? KeyIdOf(string stored) => SecretEnvelope.IsEnvelope(stored) ? Envelope("stored value", stored).KeyId : null;

    public string? KeyIdOf(byte[] stored) => SecretEnvelope.IsEnvelope(stored) ? KeyIdOf(Encoding.ASCII.GetString(stored)) : null;

    private string Seal(string purpose, byte[] plaintext)
    {
        var key = keys.Primary;
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), SecretEnvelope.AssociatedData(key.Id, purpose));
        return new SecretEnvelope(SecretEnvelope.CurrentVersion, key.Id, Convert.ToBase64String(sealedBytes)).ToString();
    }

    private byte[] Open(string purpose, string stored)
    {
        var envelope = Envelope(purpose, stored);
        if (envelope.Version != SecretEnvelope.CurrentVersion)
        {
            throw new SecretDecryptionException(
                $"Cannot decrypt a value of {purpose}: it is stored in format {envelope.Version}, which this version of Tidings does not know.", purpose, envelope.KeyId);
        }

        var key = keys.Find(envelope.KeyId) ?? throw new SecretDecryptionException(
            $"Cannot decrypt a value of {purpose}: it was encrypted with master key '{envelope.KeyId}', which is not configured on this node " +
            $"(Secrets:MasterKeys, Secrets:MasterKeyFile; known here: {string.Join(", ", keys.All.Select(k => k.Id))}).", purpose, envelope.KeyId);

        var sealedBytes = new byte[envelope.Payload.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(envelope.Payload, sealedBytes, out var length) || length < NonceBytes + TagBytes)
        {
            throw new SecretDecryptionException($"Cannot decrypt a value of {purpose} (master key '{envelope.KeyId}'): it is damaged.", purpose, envelope.KeyId);
        }

        var plaintext = new byte[length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key.Key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length, TagBytes),
                plaintext, SecretEnvelope.AssociatedData(envelope.KeyId, purpose));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretDecryptionException(
                $"Cannot decrypt a value of {purpose} with master key '{envelope.KeyId}': the key configured under that id is not the one it was " +
                "encrypted with, or the value was altered or copied from another column.", purpose, envelope.KeyId, ex);
        }

        return plaintext;
    }

    private static SecretEnvelope Envelope(string purpose, string stored) => SecretEnvelope.Parse(stored)
        ?? throw new SecretDecryptionException($"Cannot decrypt a value of {purpose}: it starts with '{SecretEnvelope.Prefix}' but is not in the form enc:<version>:<key id>:<data>.", purpose, null);
}
