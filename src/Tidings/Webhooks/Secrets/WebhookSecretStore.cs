using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Secrets;

/// <summary>
/// Each webhook's Standard Webhooks secrets, for the delivery engine (<see cref="GetKeysAsync"/>, called for every
/// delivery, so answered from memory) and for the REST API (list, rotate, import, remove).
/// </summary>
internal sealed class WebhookSecretStore(WebhookSecretTable table, TimeProvider time, IOptions<WebhookSecretsOptions> options) : IWebhookDeletionHook
{
    private readonly ConcurrentDictionary<long, CachedKeys> _cache = new();

    // Bumped by every change; a load that overlapped a change does not keep its (possibly older) result.
    private long _generation;

    /// <summary>
    /// The keys to sign a call to the webhook with: its current hmac secret, the replaced ones still in their grace
    /// period (<see cref="ScheduledWebhookSecret.ValidUntil"/> = their end), and its ed25519 key if it has one. A
    /// webhook without an hmac secret gets one first, so every webhook can sign. Throws
    /// <see cref="KeyNotFoundException"/> when the webhook does not exist.
    /// </summary>
    public async Task<StandardWebhooksKeys> GetKeysAsync(long webhookId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(webhookId, out var cached) && now < cached.ValidUntil) return cached.Keys;

        var generation = Interlocked.Read(ref _generation);
        var rows = await ReadEnsuringHmacAsync(webhookId, now, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no webhook {webhookId}.");
        var entry = Build(rows, now);
        _cache[webhookId] = entry;
        if (Interlocked.Read(ref _generation) != generation) _cache.TryRemove(KeyValuePair.Create(webhookId, entry));
        return entry.Keys;
    }

    /// <summary>The secrets signing now (current ones first), after giving the webhook an hmac secret if it had none.</summary>
    public async Task<IReadOnlyList<StoredWebhookSecret>> ListAsync(long webhookId, CancellationToken ct) =>
        await ReadEnsuringHmacAsync(webhookId, time.GetUtcNow(), ct) ?? throw new KeyNotFoundException($"There is no webhook {webhookId}.");

    /// <summary>A new generated secret of <paramref name="kind"/>; the replaced one keeps signing for <paramref name="grace"/>.</summary>
    public Task<StoredWebhookSecret> RotateAsync(long accountId, long webhookId, string kind, TimeSpan grace, CancellationToken ct)
    {
        var secret = kind == WebhookSecretKinds.Ed25519
            ? Ed25519WebhookKey.Generate().SecretKeyString()
            : WebhookSecret.Generate(options.Value.SecretBytes).ToString();
        return ImportAsync(accountId, webhookId, kind, secret, grace, ct);
    }

    /// <summary>Installs a given (already validated) secret; the replaced one keeps signing for <paramref name="grace"/>.</summary>
    public async Task<StoredWebhookSecret> ImportAsync(long accountId, long webhookId, string kind, string secret, TimeSpan grace, CancellationToken ct)
    {
        try
        {
            return await table.ReplaceAsync(accountId, webhookId, kind, secret, grace, ct);
        }
        finally
        {
            Forget(webhookId);
        }
    }

    /// <summary>Stops <c>v1a</c> signing: removes the webhook's ed25519 key. Returns whether it had one.</summary>
    public async Task<bool> RemoveEd25519Async(long accountId, long webhookId, CancellationToken ct)
    {
        try
        {
            return await table.RemoveKindAsync(accountId, webhookId, WebhookSecretKinds.Ed25519, ct) > 0;
        }
        finally
        {
            Forget(webhookId);
        }
    }

    Task IWebhookDeletionHook.DeletingAsync(WriteContext w, long webhookId) => table.DeleteAllAsync(w, webhookId);

    void IWebhookDeletionHook.Deleted(long webhookId) => Forget(webhookId);

    private void Forget(long webhookId)
    {
        Interlocked.Increment(ref _generation);
        _cache.TryRemove(webhookId, out _);
    }

    private async Task<IReadOnlyList<StoredWebhookSecret>?> ReadEnsuringHmacAsync(long webhookId, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await table.ReadAsync(webhookId, now, ct);
        if (rows.Any(r => r.Kind == WebhookSecretKinds.Hmac && r.IsCurrent)) return rows;
        if (!await table.EnsureHmacAsync(webhookId, ct)) return null;
        return await table.ReadAsync(webhookId, now, ct);
    }

    /// <summary>
    /// Parses the rows once. The entry is good until the cache period ends or the first replaced secret's grace ends,
    /// whichever is sooner, so an expired secret drops out on time although nothing invalidated the entry.
    /// </summary>
    private CachedKeys Build(IReadOnlyList<StoredWebhookSecret> rows, DateTimeOffset now)
    {
        var validUntil = now.AddSeconds(options.Value.CacheSeconds);
        var secrets = new List<ScheduledWebhookSecret>();
        Ed25519WebhookKey? ed25519 = null;
        foreach (var row in rows)
        {
            DateTimeOffset? expires = row.Expires is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            if (expires < validUntil) validUntil = expires.Value;
            if (row.Kind == WebhookSecretKinds.Hmac) secrets.Add(new ScheduledWebhookSecret(WebhookSecret.Parse(row.Secret), expires));
            else if (row.Kind == WebhookSecretKinds.Ed25519 && row.IsCurrent) ed25519 = Ed25519WebhookKey.Parse(row.Secret);
        }

        return new CachedKeys(new StandardWebhooksKeys(secrets, ed25519), validUntil);
    }

    private sealed record CachedKeys(StandardWebhooksKeys Keys, DateTimeOffset ValidUntil);
}
