namespace Tidings.Webhooks.Dispatch;

/// <summary>Log entries of webhook retention (event ids 14700–14749).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 14700, Level = LogLevel.Warning,
        Message = "Webhook {WebhookId}: disabled past its hold, {Count} waiting events (journal seq {From}–{To}) were removed by retention and are lost")]
    public static partial void DisabledWebhookLostEvents(this ILogger logger, long webhookId, int count, long from, long to);
}
