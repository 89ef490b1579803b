using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Dispatch;

/// <summary>A webhook's Standard Webhooks secrets (<c>whsec_</c>, and <c>whsk_</c> when it signs with ed25519).</summary>
internal interface IWebhookKeySource
{
    Task<StandardWebhooksKeys> GetKeysAsync(long webhookId, CancellationToken cancellationToken);
}
