using Dapper;
using Tidings.Rest;
using Tidings.Storage;

namespace Tidings.Webhooks.Dispatch;

/// <summary>One call made for a webhook, as its attempt log lists it.</summary>
internal sealed class AttemptListItem
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public long Events { get; set; }
    public long Attempt { get; set; }
    public long Attempted { get; set; }
    public long? Status { get; set; }
    public long LatencyMs { get; set; }
    public string? Error { get; set; }
    public string? Response { get; set; }
    public string? RemoteIp { get; set; }

    /// <summary>The journal records the call carried (<see cref="AttemptMembers"/>); read only for one attempt, null before migration 0015.</summary>
    public string? Members { get; set; }

    public bool Success => Status is >= 200 and < 300;
}

/// <summary>One delivery of the retry store (needed more than one try, or replayed).</summary>
internal sealed class DeliveryListItem
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public long Seq { get; set; }
    public string Status { get; set; } = "";
    public long Attempts { get; set; }
    public long? FirstAttempt { get; set; }
    public long? LastAttempt { get; set; }
    public long NextAttempt { get; set; }
    public long? LastStatus { get; set; }
    public string? LastError { get; set; }
    public long? ReplayId { get; set; }
}

/// <summary>Reads a webhook's attempt log (<c>webhook_attempts</c>) and retry store (<c>webhook_deliveries</c>), newest first.</summary>
internal sealed class DeliveryHistoryStore(IStorage storage)
{
    public async Task<(IReadOnlyList<AttemptListItem> Items, long Total)> AttemptsAsync(long webhookId, long offset, long take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<AttemptListItem>(
            "SELECT id, event_id AS EventId, events, attempt, attempted, status, latency_ms AS LatencyMs, error, response, remote_ip AS RemoteIp " +
            "FROM webhook_attempts WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @take OFFSET @skip", new { webhookId, take, skip = offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_attempts WHERE webhook_id = @webhookId", new { webhookId });
        return (items, total);
    }

    /// <summary>One attempt of the webhook with the journal records it carried; null when the webhook has none with this id.</summary>
    public async Task<AttemptListItem?> AttemptAsync(long webhookId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var attemptId)) return null;
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AttemptListItem>(new CommandDefinition(
            "SELECT id, event_id AS EventId, events, attempt, attempted, status, latency_ms AS LatencyMs, error, response, remote_ip AS RemoteIp, members " +
            "FROM webhook_attempts WHERE id = @attemptId AND webhook_id = @webhookId", new { attemptId, webhookId }, cancellationToken: ct));
    }

    /// <summary>The webhook's deliveries (retry-store rows) of these journal records, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveryListItem>> DeliveriesOfAsync(long webhookId, IReadOnlyList<long> seqs, CancellationToken ct)
    {
        if (seqs.Count == 0) return [];
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<DeliveryListItem>(new CommandDefinition(
            "SELECT id, event_id AS EventId, journal_seq AS Seq, status, attempts, first_attempt AS FirstAttempt, last_attempt AS LastAttempt, next_attempt AS NextAttempt, " +
            $"last_status AS LastStatus, last_error AS LastError, replay_id AS ReplayId FROM webhook_deliveries WHERE webhook_id = @webhookId AND {storage.Dialect.InList("journal_seq", "@seqs")} ORDER BY id",
            new { webhookId, seqs = seqs.ToArray() }, cancellationToken: ct))).ToList();
    }

    /// <summary>Of the webhook's newest attempts (at most <paramref name="limit"/>) made at or after <paramref name="sinceMs"/>: how many, and how many got a 2xx.</summary>
    public async Task<(long Attempts, long Succeeded)> OutcomesAsync(long webhookId, long sinceMs, int limit, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        // The newest by id on the (webhook_id, id) index, then the window: the cost stays bounded however busy the webhook is.
        return await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status >= 200 AND status < 300 THEN 1 ELSE 0 END), 0) FROM " +
            "(SELECT status, attempted FROM webhook_attempts WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit) newest WHERE attempted >= @sinceMs",
            new { webhookId, sinceMs, limit }, cancellationToken: ct));
    }

    /// <summary>The webhook's deliveries, all or those of one status (empty: all).</summary>
    public async Task<(IReadOnlyList<DeliveryListItem> Items, long Total)> DeliveriesAsync(long webhookId, string status, long offset, long take, CancellationToken ct)
    {
        var where = "webhook_id = @webhookId" + (status.Length > 0 ? " AND status = @status" : "");
        await using var c = await storage.OpenReadAsync(ct);
        var args = new { webhookId, status, take, skip = offset };
        var items = (await c.QueryAsync<DeliveryListItem>(
            "SELECT id, event_id AS EventId, journal_seq AS Seq, status, attempts, first_attempt AS FirstAttempt, last_attempt AS LastAttempt, next_attempt AS NextAttempt, " +
            $"last_status AS LastStatus, last_error AS LastError, replay_id AS ReplayId FROM webhook_deliveries WHERE {where} ORDER BY id DESC LIMIT @take OFFSET @skip", args)).ToList();
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM webhook_deliveries WHERE {where}", args);
        return (items, total);
    }
}
