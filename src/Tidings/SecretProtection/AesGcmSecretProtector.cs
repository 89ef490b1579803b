using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Tidings.SecretProtection;

/// <summary>
/// AES-256-GCM with a random 12-byte nonce per value. The format, the key id, the column and the row are bound as
/// associated data, so neither the id in front of a value nor the column or row it sits in can be changed without
/// decryption failing. Values in the older form bound only to their column are read until their column refuses them
/// (<see cref="RefuseUnbound"/>).
/// </summary>
internal sealed class AesGcmSecretProtector(MasterKeyRing keys) : ISecretProtector
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly ConcurrentDictionary<string, bool> _refusingUnbound = new(StringComparer.Ordinal);

    public string PrimaryKeyId => keys.Primary.Id;

    public string Protect(string purpose, long rowId, string plaintext) => Seal(purpose, rowId, Encoding.UTF8.GetBytes(plaintext));

    public byte[] Protect(string purpose, long rowId, byte[] plaintext) => Encoding.ASCII.GetBytes(Seal(purpose, rowId, plaintext));

    public string Unprotect(string purpose, long rowId, string stored) =>
        SecretEnvelope.IsEnvelope(stored) ? Encoding.UTF8.GetString(Open(purpose, rowId, stored)) : stored;

    public byte[] Unprotect(string purpose, long rowId, byte[] stored) =>
        SecretEnvelope.IsEnvelope(stored) ? Open(purpose, rowId, Encoding.ASCII.GetString(stored)) : stored;

    public string? KeyIdOf(string stored) => SecretEnvelope.IsEnvelope(stored) ? Envelope("stored value", stored).KeyId : null;

    public string? KeyIdOf(byte[] stored) => SecretEnvelope.IsEnvelope(stored) ? KeyIdOf(Encoding.ASCII.GetString(stored)) : null;

    public SecretForm FormOf(string stored) => !SecretEnvelope.IsEnvelope(stored) ? SecretForm.Plaintext
        : SecretEnvelope.Parse(stored)?.Version == SecretEnvelope.UnboundVersion ? SecretForm.Unbound
        : SecretForm.Bound;

    public SecretForm FormOf(byte[] stored) => SecretEnvelope.IsEnvelope(stored) ? FormOf(Encoding.ASCII.GetString(stored)) : SecretForm.Plaintext;

    public void RefuseUnbound(string purpose) => _refusingUnbound[purpose] = true;

    private string Seal(string purpose, long rowId, byte[] plaintext)
    {
        var key = keys.Primary;
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length),
            SecretEnvelope.AssociatedData(key.Id, purpose, rowId));
        return new SecretEnvelope(SecretEnvelope.CurrentVersion, key.Id, Convert.ToBase64String(sealedBytes)).ToString();
    }

    private byte[] Open(string purpose, long rowId, string stored)
    {
        var envelope = Envelope(purpose, stored);
        var where = $"{purpose} in row {rowId}";
        var associatedData = envelope.Version switch
        {
            SecretEnvelope.CurrentVersion => SecretEnvelope.AssociatedData(envelope.KeyId, purpose, rowId),
            SecretEnvelope.UnboundVersion when _refusingUnbound.ContainsKey(purpose) => throw new SecretDecryptionException(
                $"Cannot decrypt the value of {where}: it is in the older form that is not bound to its row, but every value of {purpose} " +
                "was bound to its row since: it was copied there or restored from an old backup.", purpose, envelope.KeyId),
            SecretEnvelope.UnboundVersion => SecretEnvelope.UnboundAssociatedData(envelope.KeyId, purpose),
            _ => throw new SecretDecryptionException(
                $"Cannot decrypt the value of {where}: it is stored in format {envelope.Version}, which this version of Tidings does not know.", purpose, envelope.KeyId),
        };

        var key = keys.Find(envelope.KeyId) ?? throw new SecretDecryptionException(
            $"Cannot decrypt the value of {where}: it was encrypted with master key '{envelope.KeyId}', which is not configured on this node " +
            $"(Secrets:MasterKeys, Secrets:MasterKeyFile; known here: {string.Join(", ", keys.All.Select(k => k.Id))}).", purpose, envelope.KeyId);

        var sealedBytes = new byte[envelope.Payload.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(envelope.Payload, sealedBytes, out var length) || length < NonceBytes + TagBytes)
        {
            throw new SecretDecryptionException($"Cannot decrypt the value of {where} (master key '{envelope.KeyId}'): it is damaged.", purpose, envelope.KeyId);
        }

        var plaintext = new byte[length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key.Key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length, TagBytes),
                plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretDecryptionException(
                $"Cannot decrypt the value of {where} with master key '{envelope.KeyId}': the key configured under that id is not the one it was " +
                "encrypted with, or the value was altered or copied from another column or row.", purpose, envelope.KeyId, ex);
        }

        return plaintext;
    }

    private static SecretEnvelope Envelope(string purpose, string stored) => SecretEnvelope.Parse(stored)
        ?? throw new SecretDecryptionException($"Cannot decrypt a value of {purpose}: it starts with '{SecretEnvelope.Prefix}' but is not in the form enc:<version>:<key id>:<data>.", purpose, null);
}
