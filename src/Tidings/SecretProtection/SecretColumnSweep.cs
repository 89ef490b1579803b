using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.SecretProtection;

/// <summary>What a sweep does with the values it reads; every sweep also checks that each value decrypts.</summary>
public enum SecretSweepMode
{
    /// <summary>Change nothing; count values per master key.</summary>
    Check,

    /// <summary>Encrypt values stored before encryption (at start).</summary>
    EncryptPlaintext,

    /// <summary>Also re-encrypt values of other master keys with the primary one (<c>secrets reencrypt</c>).</summary>
    Reencrypt,
}

/// <summary>One column's values after a sweep: how many per master key (as found), which were rewritten, which do not decrypt.</summary>
/// <param name="ByKey">Values per master key id as found; values stored before encryption count under <see cref="Plaintext"/>.</param>
public sealed record SecretSweepResult(string Purpose, IReadOnlyDictionary<string, int> ByKey, int Rewritten, IReadOnlyList<UnreadableSecret> Unreadable)
{
    public const string Plaintext = "(not encrypted)";
}

/// <summary>A stored value that does not decrypt, with the reason (which names its master key).</summary>
public sealed record UnreadableSecret(long RowId, string? KeyId, string Message);

/// <summary>
/// Walks every registered <see cref="SecretColumn"/> in id order, a batch per transaction. A rewrite only applies when
/// the row still holds the value that was read, so nodes sweeping at the same time, or a secret replaced meanwhile,
/// lose nothing; running it again changes nothing more.
/// </summary>
public sealed class SecretColumnSweep(IStorage storage, ISecretProtector protector, IEnumerable<SecretColumn> columns, IOptions<SecretProtectionOptions> options)
{
    public async Task<IReadOnlyList<SecretSweepResult>> RunAsync(SecretSweepMode mode, CancellationToken ct = default)
    {
        var results = new List<SecretSweepResult>();
        foreach (var column in columns) results.Add(await RunAsync(column, mode, ct));
        return results;
    }

    private async Task<SecretSweepResult> RunAsync(SecretColumn column, SecretSweepMode mode, CancellationToken ct)
    {
        var byKey = new SortedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unreadable = new List<UnreadableSecret>();
        var rewritten = 0;
        var after = 0L;
        while (true)
        {
            var rows = await ReadAsync(column, after, ct);
            if (rows.Count == 0) break;
            after = rows[^1].Id;
            var changes = new List<(long Id, object Old, object New)>();
            foreach (var (id, value) in rows)
            {
                string? keyId;
                object plaintext;
                try
                {
                    (keyId, plaintext) = Open(column, value);
                }
                catch (SecretDecryptionException ex)
                {
                    unreadable.Add(new UnreadableSecret(id, ex.KeyId, ex.Message));
                    continue;
                }

                var found = keyId ?? SecretSweepResult.Plaintext;
                byKey[found] = byKey.GetValueOrDefault(found) + 1;
                var rewrite = mode switch
                {
                    SecretSweepMode.EncryptPlaintext => keyId is null,
                    SecretSweepMode.Reencrypt => keyId is null || !string.Equals(keyId, protector.PrimaryKeyId, StringComparison.OrdinalIgnoreCase),
                    _ => false,
                };
                if (rewrite) changes.Add((id, value, Seal(column, plaintext)));
            }

            if (changes.Count > 0) rewritten += await WriteAsync(column, changes, ct);
        }

        return new SecretSweepResult(column.Purpose, byKey, rewritten, unreadable);
    }

    /// <summary>The master key id (null: stored before encryption) and the plaintext of a text or binary value.</summary>
    private (string? KeyId, object Plaintext) Open(SecretColumn column, object stored) => stored switch
    {
        byte[] bytes => (protector.KeyIdOf(bytes), protector.Unprotect(column.Purpose, bytes)),
        _ => (protector.KeyIdOf((string)stored), protector.Unprotect(column.Purpose, (string)stored)),
    };

    private object Seal(SecretColumn column, object plaintext) => plaintext switch
    {
        byte[] bytes => protector.Protect(column.Purpose, bytes),
        _ => protector.Protect(column.Purpose, (string)plaintext),
    };

    private async Task<IReadOnlyList<(long Id, object Value)>> ReadAsync(SecretColumn column, long after, CancellationToken ct)
    {
        var sql = $"SELECT id, {column.Column} FROM {column.Table} WHERE id > @after ORDER BY id LIMIT @limit";
        var args = new { after, limit = options.Value.BatchSize };
        await using var connection = await storage.OpenReadAsync(ct);
        return column.Binary
            ? (await connection.QueryAsync<(long, byte[])>(sql, args)).Select(r => (r.Item1, (object)r.Item2)).ToList()
            : (await connection.QueryAsync<(long, string)>(sql, args)).Select(r => (r.Item1, (object)r.Item2)).ToList();
    }

    private Task<int> WriteAsync(SecretColumn column, List<(long Id, object Old, object New)> changes, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            w.LeavesProfilesAlone();
            var done = 0;
            foreach (var (id, old, value) in changes)
            {
                done += await w.Connection.ExecuteAsync(
                    $"UPDATE {column.Table} SET {column.Column} = @value WHERE id = @id AND {column.Column} = @old", new { id, old, value }, w.Transaction);
            }

            return done;
        }, ct);
}
