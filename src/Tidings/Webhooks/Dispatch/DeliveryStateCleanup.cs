using Dapper;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary>Removes a deleted webhook's delivery state (cursor, retry store, attempts, replays) in the deleting transaction.</summary>
internal sealed class DeliveryStateCleanup : IWebhookDeletionHook
{
    public async Task DeletingAsync(WriteContext w, long webhookId)
    {
        foreach (var table in new[] { "webhook_deliveries", "webhook_attempts", "webhook_replays" })
        {
            await w.Connection.ExecuteAsync($"DELETE FROM {table} WHERE webhook_id = @webhookId", new { webhookId }, w.Transaction);
        }

        await WebhookCursors.RemoveAsync(w, webhookId);
    }

    public void Deleted(long webhookId)
    {
    }
}
