using Dapper;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Webhooks.Configuration;

/// <summary>The <c>webhooks</c> table: what an account wants called, for which changes, and how.</summary>
internal sealed class WebhookStore(IStorage storage, CopernicaTime time, IEnumerable<IWebhookDeletionHook> deletionHooks)
{
    /// <summary>The columns of a <see cref="WebhookRecord"/> (other features read webhooks with these too).</summary>
    public const string Columns =
        "id, account_id AS AccountId, handler, triggers, callers, database_id AS DatabaseId, collection_id AS CollectionId, format, signing, " +
        "max_concurrency AS MaxConcurrency, max_per_second AS MaxPerSecond, batch_max_events AS BatchMaxEvents, batch_max_ms AS BatchMaxMs, " +
        "enabled, created, disabled_reason AS DisabledReason, ordered, failing_since AS FailingSince, last_success AS LastSuccess, " +
        "trace_context AS TraceContext, disabled_at AS DisabledAt, lost_events AS LostEvents, lost_from AS LostFrom, lost_to AS LostTo, lost_at AS LostAt";

    public WebhookRecord New(long accountId) => new() { AccountId = accountId, Created = time.NowMs() };

    public Task<long> CreateAsync(WebhookRecord w, CancellationToken ct) =>
        storage.WriteAsync(async x =>
        {
            var id = await x.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO webhooks (account_id, handler, triggers, callers, database_id, collection_id, format, signing, max_concurrency, max_per_second, batch_max_events, batch_max_ms, enabled, created, disabled_reason, ordered, trace_context, disabled_at) " +
                "VALUES (@AccountId, @Handler, @Triggers, @Callers, @DatabaseId, @CollectionId, @Format, @Signing, @MaxConcurrency, @MaxPerSecond, @BatchMaxEvents, @BatchMaxMs, @enabled, @Created, @DisabledReason, @ordered, @traceContext, " +
                "CASE WHEN @enabled = 1 THEN NULL ELSE @now END) RETURNING id",
                Parameters(w, w.Created), x.Transaction);
            // In the same transaction: the webhook hears of every event appended after it exists.
            if (w.Enabled) await WebhookCursors.StartAtEndAsync(x, id);
            return id;
        }, ct);

    public Task UpdateAsync(WebhookRecord w, CancellationToken ct) =>
        storage.WriteAsync(async x =>
        {
            await x.Connection.ExecuteAsync(
                "UPDATE webhooks SET handler = @Handler, triggers = @Triggers, callers = @Callers, database_id = @DatabaseId, collection_id = @CollectionId, format = @Format, signing = @Signing, " +
                "max_concurrency = @MaxConcurrency, max_per_second = @MaxPerSecond, batch_max_events = @BatchMaxEvents, batch_max_ms = @BatchMaxMs, enabled = @enabled, disabled_reason = @DisabledReason, ordered = @ordered, trace_context = @traceContext, " +
                // Since when it is off: a disabled webhook's retries hold journal records back only for Webhooks:Dispatch:DisabledHold.
                "disabled_at = CASE WHEN @enabled = 1 THEN NULL ELSE COALESCE(disabled_at, @now) END " +
                "WHERE id = @Id AND account_id = @AccountId",
                Parameters(w, time.NowMs()), x.Transaction);
            if (w.Enabled) await WebhookCursors.StartAtEndAsync(x, w.Id); else await WebhookCursors.RemoveAsync(x, w.Id);
            return 0;
        }, ct);

    /// <summary>Deletes the webhook and, in the same transaction, what other features keep for it.</summary>
    public async Task DeleteAsync(WebhookRecord w, CancellationToken ct)
    {
        var hooks = deletionHooks.ToList();
        await storage.WriteAsync(async x =>
        {
            var deleted = await x.Connection.ExecuteAsync("DELETE FROM webhooks WHERE id = @Id AND account_id = @AccountId", new { w.Id, w.AccountId }, x.Transaction);
            if (deleted > 0)
            {
                foreach (var hook in hooks) await hook.DeletingAsync(x, w.Id);
            }

            return deleted;
        }, ct);
        foreach (var hook in hooks) hook.Deleted(w.Id);
    }

    public async Task<WebhookRecord> RequireAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var webhookId)) throw new RequestRejectedException(WebhookInput.NoWebhook);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<WebhookRecord>($"SELECT {Columns} FROM webhooks WHERE account_id = @accountId AND id = @webhookId", new { accountId, webhookId })
            ?? throw new RequestRejectedException(WebhookInput.NoWebhook);
    }

    /// <summary>A page of the account's webhooks, optionally only those of one database or one collection.</summary>
    public async Task<(IReadOnlyList<WebhookRecord> Items, long Total)> ListAsync(long accountId, long offset, long take, CancellationToken ct, long? databaseId = null, long? collectionId = null)
    {
        var where = "account_id = @accountId"
            + (databaseId is null ? "" : " AND database_id = @databaseId")
            + (collectionId is null ? "" : " AND collection_id = @collectionId");
        var args = new { accountId, databaseId, collectionId, take, skip = offset };
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<WebhookRecord>($"SELECT {Columns} FROM webhooks WHERE {where} ORDER BY id LIMIT @take OFFSET @skip", args)).ToList();
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM webhooks WHERE {where}", args);
        return (items, total);
    }

    /// <summary>Every handler URL of the account (to find where a verification file may be).</summary>
    public async Task<IReadOnlyList<string>> HandlersAsync(long accountId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<string>("SELECT DISTINCT handler FROM webhooks WHERE account_id = @accountId", new { accountId })).ToList();
    }

    private static object Parameters(WebhookRecord w, long now = 0) => new
    {
        now,
        w.Id, w.AccountId, w.Handler, w.Triggers, w.Callers, w.DatabaseId, w.CollectionId, w.Format, w.Signing,
        w.MaxConcurrency, w.MaxPerSecond, w.BatchMaxEvents, w.BatchMaxMs, enabled = w.Enabled ? 1L : 0L, w.Created, w.DisabledReason, ordered = w.Ordered ? 1L : 0L,
        traceContext = w.TraceContext ? 1L : 0L,
    };
}
