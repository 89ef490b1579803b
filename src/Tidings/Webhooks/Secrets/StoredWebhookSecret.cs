namespace Tidings.Webhooks.Secrets;

/// <summary>One row of <c>webhook_secrets</c>, its secret decrypted.</summary>
/// <param name="Kind">One of <see cref="WebhookSecretKinds"/>.</param>
/// <param name="Secret"><c>whsec_…</c> (hmac) or <c>whsk_…</c> (ed25519).</param>
/// <param name="Created">Unix ms.</param>
/// <param name="Expires">Unix ms it stops signing; null for the current secret of its kind.</param>
internal sealed record StoredWebhookSecret(long Id, long WebhookId, long AccountId, string Kind, string Secret, long Created, long? Expires)
{
    public bool IsCurrent => Expires is null;
}

internal static class WebhookSecretKinds
{
    /// <summary>A <c>whsec_</c> secret: HMAC-SHA256, the <c>v1</c> signatures.</summary>
    public const string Hmac = "hmac";

    /// <summary>A <c>whsk_</c> key pair: ed25519, the <c>v1a</c> signature.</summary>
    public const string Ed25519 = "ed25519";

    public static readonly IReadOnlyList<string> All = [Hmac, Ed25519];
}
