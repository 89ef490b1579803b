using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Storage;

namespace Tidings.SecretProtection;

/// <summary>What a sweep does with the values it reads; every sweep also checks that each value decrypts.</summary>
internal enum SecretSweepMode
{
    /// <summary>Change nothing; count values per master key.</summary>
    Check,

    /// <summary>Encrypt values stored before encryption, and bind values in the older form to their row (at start).</summary>
    Upgrade,

    /// <summary>Also re-encrypt values of other master keys with the primary one (<c>secrets reencrypt</c>).</summary>
    Reencrypt,
}

/// <summary>One column's values after a sweep: how many per master key (as found), which were rewritten, which do not decrypt.</summary>
/// <param name="ByKey">Values per master key id as found; values stored before encryption count under <see cref="Plaintext"/>.</param>
/// <param name="Unbound">Values found in the older form that is not bound to its row.</param>
internal sealed record SecretSweepResult(string Purpose, IReadOnlyDictionary<string, int> ByKey, int Rewritten, IReadOnlyList<UnreadableSecret> Unreadable, int Unbound = 0)
{
    public const string Plaintext = "(not encrypted)";
}

/// <summary>A stored value that does not decrypt, with the reason (which names its master key).</summary>
internal sealed record UnreadableSecret(long RowId, string? KeyId, string Message);

/// <summary>
/// Walks every registered <see cref="SecretColumn"/> in id order, a batch per transaction. A rewrite only applies when
/// the row still holds the value that was read, so nodes sweeping at the same time, or a secret replaced meanwhile,
/// lose nothing; running it again changes nothing more. Once a rewriting sweep has gone through a column without an
/// unreadable value, every value there is bound to its row: the column is recorded as such (<c>secret_columns_bound</c>)
/// and values in the older form are refused there from then on, on every node that reads the record.
/// </summary>
internal sealed partial class SecretColumnSweep(
    IStorage storage, ISecretProtector protector, IEnumerable<SecretColumn> columns, IOptions<SecretProtectionOptions> options, TimeProvider time,
    ILogger<SecretColumnSweep> logger)
{
    public async Task<IReadOnlyList<SecretSweepResult>> RunAsync(SecretSweepMode mode, CancellationToken ct = default)
    {
        var bound = await BoundColumnsAsync(ct);
        foreach (var purpose in bound) protector.RefuseUnbound(purpose);
        var results = new List<SecretSweepResult>();
        foreach (var column in columns)
        {
            var result = await RunAsync(column, mode, ct);
            results.Add(result);
            if (mode != SecretSweepMode.Check && result.Unreadable.Count == 0 && !bound.Contains(column.Purpose))
            {
                await MarkBoundAsync(column, ct);
                protector.RefuseUnbound(column.Purpose);
            }
        }

        return results;
    }

    private async Task<SecretSweepResult> RunAsync(SecretColumn column, SecretSweepMode mode, CancellationToken ct)
    {
        var byKey = new SortedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unreadable = new List<UnreadableSecret>();
        var rewritten = 0;
        var unbound = 0;
        var seen = 0;
        long? total = null;
        var after = 0L;
        while (true)
        {
            var rows = await ReadAsync(column, after, ct);
            if (rows.Count == 0) break;
            after = rows[^1].Id;
            seen += rows.Count;
            var changes = new List<(long Id, object Old, object New)>();
            foreach (var (id, value) in rows)
            {
                string? keyId;
                SecretForm form;
                object plaintext;
                try
                {
                    (keyId, form, plaintext) = Open(column, id, value);
                }
                catch (SecretDecryptionException ex)
                {
                    unreadable.Add(new UnreadableSecret(id, ex.KeyId, ex.Message));
                    continue;
                }

                var found = keyId ?? SecretSweepResult.Plaintext;
                byKey[found] = byKey.GetValueOrDefault(found) + 1;
                if (form == SecretForm.Unbound) unbound++;
                var rewrite = mode switch
                {
                    SecretSweepMode.Upgrade => form != SecretForm.Bound,
                    SecretSweepMode.Reencrypt => form != SecretForm.Bound || !string.Equals(keyId, protector.PrimaryKeyId, StringComparison.OrdinalIgnoreCase),
                    _ => false,
                };
                if (rewrite) changes.Add((id, value, Seal(column, id, plaintext)));
            }

            if (changes.Count == 0) continue;
            rewritten += await WriteAsync(column, changes, ct);
            total ??= await CountAsync(column, ct);
            var outOf = Math.Max(total.Value, seen);
            LogProgress(column.Purpose, rewritten, seen, outOf);
        }

        return new SecretSweepResult(column.Purpose, byKey, rewritten, unreadable, unbound);
    }

    /// <summary>The master key id (null: stored before encryption), the form and the plaintext of a text or binary value.</summary>
    private (string? KeyId, SecretForm Form, object Plaintext) Open(SecretColumn column, long id, object stored) => stored switch
    {
        byte[] bytes => (protector.KeyIdOf(bytes), protector.FormOf(bytes), protector.Unprotect(column.Purpose, id, bytes)),
        _ => (protector.KeyIdOf((string)stored), protector.FormOf((string)stored), protector.Unprotect(column.Purpose, id, (string)stored)),
    };

    private object Seal(SecretColumn column, long id, object plaintext) => plaintext switch
    {
        byte[] bytes => protector.Protect(column.Purpose, id, bytes),
        _ => protector.Protect(column.Purpose, id, (string)plaintext),
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

    private async Task<long> CountAsync(SecretColumn column, CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {column.Table}");
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

    private async Task<HashSet<string>> BoundColumnsAsync(CancellationToken ct)
    {
        await using var connection = await storage.OpenReadAsync(ct);
        return (await connection.QueryAsync<string>("SELECT purpose FROM secret_columns_bound")).ToHashSet(StringComparer.Ordinal);
    }

    private Task MarkBoundAsync(SecretColumn column, CancellationToken ct) =>
        storage.WriteAsync(w =>
        {
            w.LeavesProfilesAlone();
            return w.Connection.ExecuteAsync(
                "INSERT INTO secret_columns_bound (purpose, since) VALUES (@purpose, @since) ON CONFLICT (purpose) DO NOTHING",
                new { purpose = column.Purpose, since = time.GetUtcNow().ToUnixTimeMilliseconds() }, w.Transaction);
        }, ct);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Secrets at rest, {Purpose}: {Rewritten} value(s) rewritten bound to their row with the primary master key; {Seen} of {Total} looked at")]
    private partial void LogProgress(string purpose, int rewritten, int seen, long total);
}
