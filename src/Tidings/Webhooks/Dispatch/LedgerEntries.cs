namespace Tidings.Webhooks.Dispatch;

/// <summary>Something the delivery engine must record durably; see <see cref="DeliveryLedger"/>.</summary>
internal abstract record LedgerEntry
{
    /// <summary>Runs after the entry's transaction has committed (e.g. settles the records in the webhook's cursor tracker).</summary>
    public Action? AfterCommit { get; init; }
}

/// <summary>What becomes of the events of a call.</summary>
internal enum Disposition
{
    /// <summary>Received (2xx).</summary>
    Delivered,

    /// <summary>Failed; wait in the retry store until due.</summary>
    Retry,

    /// <summary>Failed and out of retries (or the webhook is gone): kept as failed, for replay.</summary>
    Failed,

    /// <summary>Failed; an ordered webhook retries it in place (only the attempt is recorded).</summary>
    Held,
}

/// <summary>An event of a call as it stood when the call was made (items change as an ordered webhook retries).</summary>
internal sealed record DeliverySnapshot(long? DeliveryId, long Seq, string EventId, string? ProfileKey, int AttemptsBefore, long FirstAttempt)
{
    public static DeliverySnapshot Of(DeliveryItem i, long attemptedMs) =>
        new(i.DeliveryId, i.Seq, i.EventId, i.ProfileKey, i.Attempts, i.FirstAttempt ?? attemptedMs);
}

/// <summary>One call and what it came to.</summary>
internal sealed record AttemptEntry(
    ActiveWebhook Webhook,
    string MessageId,
    IReadOnlyList<DeliverySnapshot> Deliveries,
    AttemptResult Result,
    long AttemptedMs,
    Disposition Disposition,
    long? NextAttemptMs) : LedgerEntry;

/// <summary>The webhook's cursor may move to <paramref name="Seq"/>.</summary>
internal sealed record CursorEntry(long WebhookId, long Seq) : LedgerEntry;

/// <summary>The server disables a webhook and tells its account why.</summary>
internal sealed record DisableEntry(ActiveWebhook Webhook, string Reason) : LedgerEntry;

/// <summary>A webhook came back after failing: its waiting retries are due now, so the backlog drains at once.</summary>
internal sealed record PullForwardEntry(long WebhookId, long NowMs) : LedgerEntry;
