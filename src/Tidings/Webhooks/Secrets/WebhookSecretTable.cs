using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.SecretProtection;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Signing;
using Tidings.Rejections;

namespace Tidings.Webhooks.Secrets;

/// <summary>
/// The SQL of <c>webhook_secrets</c>. Every write first locks the webhook's row (PostgreSQL; SQLite has one writer),
/// so two nodes cannot both give a webhook a current secret, and no secret is added to a webhook being deleted. Secrets
/// are stored encrypted (<see cref="ISecretProtector"/>): every row this class returns holds the decrypted secret, and
/// secrets are compared after decrypting, never in SQL.
/// </summary>
internal sealed class WebhookSecretTable(IStorage storage, ISecretProtector protector, TimeProvider time, IOptions<WebhookSecretsOptions> options)
{
    public static readonly SecretColumn SecretColumn = new("webhook_secrets", "secret");

    private const string Columns = "id, webhook_id AS WebhookId, account_id AS AccountId, kind, secret, created, expires";

    /// <summary>The secrets still signing at <paramref name="now"/>: current ones first, then the newest replaced ones.</summary>
    public async Task<IReadOnlyList<StoredWebhookSecret>> ReadAsync(long webhookId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<StoredWebhookSecret>(
            $"SELECT {Columns} FROM webhook_secrets WHERE webhook_id = @webhookId AND (expires IS NULL OR expires > @now) " +
            "ORDER BY CASE WHEN expires IS NULL THEN 0 ELSE 1 END, id DESC",
            new { webhookId, now = now.ToUnixTimeMilliseconds() })).Select(Decrypted).ToList();
    }

    /// <summary>Gives the webhook a generated hmac secret unless it has one. False when there is no such webhook.</summary>
    public Task<bool> EnsureHmacAsync(long webhookId, CancellationToken ct)
    {
        var candidate = WebhookSecret.Generate(options.Value.SecretBytes).ToString();
        return storage.WriteAsync(async w =>
        {
            if (await LockWebhookAsync(w, webhookId, null) is not { } accountId) return false;
            var current = await w.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind AND expires IS NULL",
                new { webhookId, kind = WebhookSecretKinds.Hmac }, w.Transaction);
            if (current == 0) await InsertAsync(w, webhookId, accountId, WebhookSecretKinds.Hmac, candidate, Now());
            return true;
        }, ct);
    }

    /// <summary>
    /// Makes <paramref name="secret"/> the current secret of its kind. The replaced hmac secrets keep signing until
    /// now + <paramref name="grace"/> (none keeps a later end; at most <see cref="WebhookSecretsOptions.MaxOldSecrets"/>
    /// remain). An ed25519 key is replaced at once: a call carries one <c>v1a</c> signature. Installing the current
    /// secret again changes nothing.
    /// </summary>
    public Task<StoredWebhookSecret> ReplaceAsync(long accountId, long webhookId, string kind, string secret, TimeSpan grace, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            if (await LockWebhookAsync(w, webhookId, accountId) is null) throw new RequestRejectedException(WebhookInput.NoWebhook);
            var now = Now();
            var current = await w.Connection.QuerySingleOrDefaultAsync<StoredWebhookSecret>(
                $"SELECT {Columns} FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind AND expires IS NULL",
                new { webhookId, kind }, w.Transaction) is { } row ? Decrypted(row) : null;
            if (current?.Secret == secret) return current;

            var until = kind == WebhookSecretKinds.Ed25519 ? now : now + (long)grace.TotalMilliseconds;
            var args = new { webhookId, kind, until, now, max = options.Value.MaxOldSecrets };
            var again = await SameSecretAsync(w, webhookId, kind, secret);
            await w.Connection.ExecuteAsync(
                "UPDATE webhook_secrets SET expires = @until WHERE webhook_id = @webhookId AND kind = @kind AND (expires IS NULL OR expires > @until)",
                args, w.Transaction);
            await w.Connection.ExecuteAsync(
                $"DELETE FROM webhook_secrets WHERE webhook_id = @webhookId AND (expires <= @now OR {storage.Dialect.InList("id", "@again")})",
                new { webhookId, now, again }, w.Transaction);
            await w.Connection.ExecuteAsync(
                "DELETE FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind AND expires IS NOT NULL AND id NOT IN " +
                "(SELECT id FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind AND expires IS NOT NULL ORDER BY id DESC LIMIT @max)",
                args, w.Transaction);
            return await InsertAsync(w, webhookId, accountId, kind, secret, now);
        }, ct);

    /// <summary>Removes every secret of one kind (current and replaced). Returns how many there were.</summary>
    public Task<int> RemoveKindAsync(long accountId, long webhookId, string kind, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            if (await LockWebhookAsync(w, webhookId, accountId) is null) throw new RequestRejectedException(WebhookInput.NoWebhook);
            return await w.Connection.ExecuteAsync(
                "DELETE FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind", new { webhookId, kind }, w.Transaction);
        }, ct);

    /// <summary>Removes all of a webhook's secrets, in the transaction that deletes the webhook.</summary>
    public Task DeleteAllAsync(WriteContext w, long webhookId) =>
        w.Connection.ExecuteAsync("DELETE FROM webhook_secrets WHERE webhook_id = @webhookId", new { webhookId }, w.Transaction);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The webhook's account, or null when it does not exist (for that account); locks the row on PostgreSQL.</summary>
    private async Task<long?> LockWebhookAsync(WriteContext w, long webhookId, long? accountId)
    {
        var forUpdate = storage.Dialect.Provider == StorageProvider.Postgres ? " FOR UPDATE" : "";
        var sameAccount = accountId is null ? "" : " AND account_id = @accountId";
        return await w.Connection.ExecuteScalarAsync<long?>(
            $"SELECT account_id FROM webhooks WHERE id = @webhookId{sameAccount}{forUpdate}", new { webhookId, accountId }, w.Transaction);
    }

    /// <summary>Replaced rows of <paramref name="kind"/> holding <paramref name="secret"/>: installing it again must not leave a second copy.</summary>
    private async Task<List<long>> SameSecretAsync(WriteContext w, long webhookId, string kind, string secret)
    {
        var rows = await w.Connection.QueryAsync<(long Id, string Secret)>(
            "SELECT id, secret FROM webhook_secrets WHERE webhook_id = @webhookId AND kind = @kind", new { webhookId, kind }, w.Transaction);
        return rows.Where(r => protector.Unprotect(SecretColumn.Purpose, r.Id, r.Secret) == secret).Select(r => r.Id).ToList();
    }

    private StoredWebhookSecret Decrypted(StoredWebhookSecret row) => row with { Secret = protector.Unprotect(SecretColumn.Purpose, row.Id, row.Secret) };

    /// <summary>The secret is encrypted bound to its row, so the row is made first (empty, inside the same transaction).</summary>
    private async Task<StoredWebhookSecret> InsertAsync(WriteContext w, long webhookId, long accountId, string kind, string secret, long now)
    {
        var id = await w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO webhook_secrets (webhook_id, account_id, kind, secret, created) VALUES (@webhookId, @accountId, @kind, '', @now) RETURNING id",
            new { webhookId, accountId, kind, now }, w.Transaction);
        await w.Connection.ExecuteAsync(
            "UPDATE webhook_secrets SET secret = @stored WHERE id = @id", new { id, stored = protector.Protect(SecretColumn.Purpose, id, secret) }, w.Transaction);
        return new StoredWebhookSecret(id, webhookId, accountId, kind, secret, now, null);
    }
}
