using Tidings.Storage;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// Lets another feature remove what belongs to a webhook (such as its secrets) in the same transaction that deletes
/// the webhook, so nothing is left behind when either part fails.
/// </summary>
internal interface IWebhookDeletionHook
{
    /// <summary>Runs inside the deleting transaction, before it commits.</summary>
    Task DeletingAsync(WriteContext w, long webhookId);

    /// <summary>Runs after the deletion has committed (to forget cached state).</summary>
    void Deleted(long webhookId);
}
