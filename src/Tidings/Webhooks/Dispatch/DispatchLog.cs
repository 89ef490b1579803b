namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Log entries of webhook dispatch (event ids 14300–14399; the delivery ledger's 14301–14302 and 14903 are in
/// <see cref="DeliveryLedger"/>; stopping: 14900–14949).
/// </summary>
internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 14303, Level = LogLevel.Error, Message = "Loading the webhook configuration failed; retrying at the next refresh")]
    public static partial void ConfigurationLoadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 14304, Level = LogLevel.Warning, Message = "Reading the journal's end failed")]
    public static partial void ReadingJournalEndFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 14305, Level = LogLevel.Information, Message = "Webhook {WebhookId} delivering to {Handler} from journal position {Cursor}")]
    public static partial void RunnerStarted(this ILogger logger, long webhookId, Uri handler, long cursor);

    [LoggerMessage(EventId = 14306, Level = LogLevel.Error, Message = "Webhook {WebhookId}: reading events failed; retrying shortly")]
    public static partial void ReadingEventsFailed(this ILogger logger, Exception exception, long webhookId);

    [LoggerMessage(EventId = 14307, Level = LogLevel.Warning,
        Message = "Webhook {WebhookId}: {Count} pending deliveries failed because their events are no longer in the journal")]
    public static partial void EventsRemovedFromJournal(this ILogger logger, long webhookId, int count);

    [LoggerMessage(EventId = 14308, Level = LogLevel.Error,
        Message = "Webhook {WebhookId}: delivering {Count} events failed inside the server; they will be retried")]
    public static partial void DeliveryFaulted(this ILogger logger, Exception exception, long webhookId, int count);

    [LoggerMessage(EventId = 14309, Level = LogLevel.Error, Message = "Webhook {WebhookId}: a delivery worker stopped")]
    public static partial void WorkerStopped(this ILogger logger, Exception exception, long webhookId);

    [LoggerMessage(EventId = 14310, Level = LogLevel.Error, Message = "Replay {ReplayId} failed; it resumes at the next start")]
    public static partial void ReplayFailed(this ILogger logger, Exception exception, long replayId);

    [LoggerMessage(EventId = 14311, Level = LogLevel.Error, Message = "Removing old webhook attempts failed; trying again in an hour")]
    public static partial void OldAttemptsRemovalFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 14900, Level = LogLevel.Information,
        Message = "Webhook delivery stopping: {Webhooks} webhooks, {InFlight} calls in flight, which get up to {GraceSeconds} s to finish (Webhooks:Dispatch:ShutdownGrace)")]
    public static partial void DeliveryStopping(this ILogger logger, int webhooks, int inFlight, double graceSeconds);

    [LoggerMessage(EventId = 14901, Level = LogLevel.Information, Message = "Webhook delivery stopped after {ElapsedMs} ms; every call in flight finished")]
    public static partial void DeliveryStopped(this ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 14902, Level = LogLevel.Warning,
        Message = "Webhook delivery stopped after {ElapsedMs} ms; {Cancelled} calls outlasted the grace and were cut off: their events are sent again after the next start, with the same webhook-id")]
    public static partial void DeliveryCallsHandedBack(this ILogger logger, int cancelled, long elapsedMs);
}
