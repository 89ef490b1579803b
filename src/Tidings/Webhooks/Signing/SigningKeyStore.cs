using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.SecretProtection;
using Tidings.Storage;

namespace Tidings.Webhooks.Signing;

/// <summary>One of the server's RSA signing keys.</summary>
/// <param name="Selector">DKIM-style selector; the key is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</param>
/// <param name="PrivateKey">PKCS#8 DER (decrypted; stored encrypted).</param>
/// <param name="PublicKey">SubjectPublicKeyInfo DER.</param>
/// <param name="Created">Unix ms.</param>
/// <param name="Activated">Unix ms it became the signing key, or null.</param>
/// <param name="RetiredAt">Unix ms it stops being published, or null.</param>
internal sealed record SigningKey(long Id, string Selector, string Algorithm, byte[] PrivateKey, byte[] PublicKey, long Created, long? Activated, long? RetiredAt)
{
    public const string RsaSha256 = "rsa-sha256";

    /// <summary>The DNS name of the TXT record, and the Copernica-style <c>keyId</c>.</summary>
    public string KeyId(string domain) => $"{Selector}._domainkey.{domain}";

    /// <summary>
    /// The DKIM TXT record text (RFC 6376 §3.6.1): <c>v=DKIM1;k=rsa;p=&lt;base64 SPKI&gt;</c>. No spaces after the
    /// semicolons: DKIM allows them, but Copernica's PHP verifier splits the record on <c>;</c> and <c>=</c> without
    /// trimming and would find no <c>p</c> tag.
    /// </summary>
    public string DnsTxtRecord => "v=DKIM1;k=rsa;p=" + Convert.ToBase64String(PublicKey);

    /// <summary>
    /// A zone-file line for the TXT record. A 2048-bit key is longer than the 255 characters one DNS string may hold,
    /// so the text is split into several quoted strings, which resolvers join again.
    /// </summary>
    public string DnsZoneLine(string domain) =>
        $"{KeyId(domain)}. IN TXT " + string.Join(' ', DnsTxtRecord.Chunk(255).Select(c => "\"" + new string(c) + "\""));

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem => PemEncoding.WriteString("PUBLIC KEY", PublicKey) + "\n";

    public override string ToString() => $"{Selector} ({Algorithm})";
}

/// <summary>The key the Copernica signer signs with; an interface so tests can sign with a fixed key.</summary>
internal interface ISigningKeySource
{
    ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The server's RSA keys for Copernica-style signatures. The first key is generated when none exists; a rotation adds a
/// new key that signs from then on, while the replaced keys stay published for <see cref="WebhookSigningOptions.RotationOverlapHours"/>.
/// Private keys are stored encrypted (<see cref="ISecretProtector"/>); every key this class returns holds its decrypted key.
/// </summary>
internal sealed class SigningKeyStore(IStorage storage, ISecretProtector protector, TimeProvider time, IOptions<WebhookSigningOptions> options, ILogger<SigningKeyStore> logger) : ISigningKeySource
{
    public static readonly SecretColumn PrivateKeyColumn = new("webhook_signing_keys", "private_key", Binary: true);

    private const long PostgresKeyLock = 0x71D1_4B45;
    private const string Columns = "id, selector, algorithm, private_key AS PrivateKey, public_key AS PublicKey, created, activated, retired_at AS RetiredAt";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (SigningKey Key, long ExpiresAt)? _cached;

    /// <summary>The key to sign with now; creates the first one if there is none.</summary>
    public async ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_cached is { } c && c.ExpiresAt > now) return c.Key;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.ExpiresAt > now) return again.Key;
            var key = await FindSigningKeyAsync(cancellationToken) ?? (await EnsureKeyAsync(cancellationToken)).Key;
            _cached = (key, now + options.Value.KeyCacheSeconds * 1000L);
            return key;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Creates the first signing key unless one exists. Returns the signing key and whether it was created now.</summary>
    public async Task<(SigningKey Key, bool Created)> EnsureKeyAsync(CancellationToken cancellationToken = default)
    {
        if (await FindSigningKeyAsync(cancellationToken) is { } existing) return (existing, false);
        var candidate = NewKey();
        return await storage.WriteAsync(async w =>
        {
            await LockAsync(w);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var current = await w.Connection.QuerySingleOrDefaultAsync<SigningKey>(SigningKeySql, new { now }, w.Transaction);
            if (current is not null) return (Decrypted(current), false);
            return (await InsertAsync(w, candidate, now), true);
        }, cancellationToken);
    }

    /// <summary>
    /// Makes a new key the signing key. Keys that were published and had no end yet stay published for the overlap
    /// period and are then retired.
    /// </summary>
    public async Task<SigningKey> RotateAsync(CancellationToken cancellationToken = default)
    {
        var candidate = NewKey();
        var key = await storage.WriteAsync(async w =>
        {
            await LockAsync(w);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var retireAt = now + options.Value.RotationOverlapHours * 3_600_000L;
            await w.Connection.ExecuteAsync(
                "UPDATE webhook_signing_keys SET retired_at = @retireAt WHERE retired_at IS NULL OR retired_at > @retireAt",
                new { retireAt }, w.Transaction);
            return await InsertAsync(w, candidate, now);
        }, cancellationToken);
        _cached = null;
        logger.SigningKeyRotated(key.Selector);
        return key;
    }

    /// <summary>Keys still published now (the signing key first), which receivers may need to verify a call.</summary>
    public async Task<IReadOnlyList<SigningKey>> ListPublishedAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await storage.OpenReadAsync(cancellationToken);
        return (await connection.QueryAsync<SigningKey>(
            $"SELECT {Columns} FROM webhook_signing_keys WHERE retired_at IS NULL OR retired_at > @now ORDER BY activated DESC, id DESC",
            new { now })).Select(Decrypted).ToList();
    }

    /// <summary>Every key ever made, retired ones included (newest first).</summary>
    public async Task<IReadOnlyList<SigningKey>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenReadAsync(cancellationToken);
        return (await connection.QueryAsync<SigningKey>($"SELECT {Columns} FROM webhook_signing_keys ORDER BY id DESC")).Select(Decrypted).ToList();
    }

    private const string SigningKeySql =
        $"SELECT {Columns} FROM webhook_signing_keys WHERE activated IS NOT NULL AND (retired_at IS NULL OR retired_at > @now) ORDER BY activated DESC, id DESC LIMIT 1";

    private async Task<SigningKey?> FindSigningKeyAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await storage.OpenReadAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SigningKey>(SigningKeySql, new { now }) is { } key ? Decrypted(key) : null;
    }

    /// <summary>On PostgreSQL, two nodes starting together must not both create a first key.</summary>
    private async Task LockAsync(WriteContext w)
    {
        if (storage.Dialect.Provider == StorageProvider.Postgres)
        {
            await w.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresKeyLock }, w.Transaction);
        }
    }

    private SigningKey Decrypted(SigningKey key) => key with { PrivateKey = protector.Unprotect(PrivateKeyColumn.Purpose, key.Id, key.PrivateKey) };

    /// <summary>The private key is encrypted bound to its row, so the row is made first (empty, inside the same transaction).</summary>
    private async Task<SigningKey> InsertAsync(WriteContext w, (string Selector, byte[] Private, byte[] Public) key, long now)
    {
        var id = await w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO webhook_signing_keys (selector, algorithm, private_key, public_key, created, activated) VALUES (@Selector, @Algorithm, @Empty, @Public, @now, @now) RETURNING id",
            new { key.Selector, Algorithm = SigningKey.RsaSha256, Empty = Array.Empty<byte>(), key.Public, now }, w.Transaction);
        await w.Connection.ExecuteAsync(
            "UPDATE webhook_signing_keys SET private_key = @Stored WHERE id = @id", new { id, Stored = protector.Protect(PrivateKeyColumn.Purpose, id, key.Private) }, w.Transaction);
        return new SigningKey(id, key.Selector, SigningKey.RsaSha256, key.Private, key.Public, now, now, null);
    }

    /// <summary>Key generation happens outside the write transaction: it takes long enough to hold up other writers.</summary>
    private (string Selector, byte[] Private, byte[] Public) NewKey()
    {
        using var rsa = RSA.Create(options.Value.RsaKeySize);
        var selector = string.Create(CultureInfo.InvariantCulture,
            $"{options.Value.SelectorPrefix}-{time.GetUtcNow():yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        return (selector, rsa.ExportPkcs8PrivateKey(), rsa.ExportSubjectPublicKeyInfo());
    }
}
