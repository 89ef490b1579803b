using System.Text;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Secrets;

/// <summary>Signs a sample call with a webhook's keys and checks each <c>webhook-signature</c> entry independently.</summary>
internal static class SignatureEntries
{
    private const string MessageId = "msg_2hWkGb3KQxQzXr";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"open\",\"id\":\"k3j9x0a1\"}");

    /// <summary>The entries (<c>v1,…</c>, <c>v1a,…</c>) of the header the keys produce now.</summary>
    public static string[] Of(StandardWebhooksKeys keys, TimeProvider time) =>
        new StandardWebhooksSigner(keys, time).Sign(MessageId, time.GetUtcNow().ToUnixTimeSeconds(), Body).Split(' ');

    /// <summary>Whether one of the <c>v1</c> entries is the HMAC of the call with <paramref name="secret"/>.</summary>
    public static bool HasV1For(string[] entries, string secret, TimeProvider time) =>
        entries.Contains("v1," + WebhookSecret.Parse(secret).Sign(Content(time)));

    /// <summary>Whether a <c>v1a</c> entry verifies with the public key <paramref name="whpk"/>.</summary>
    public static bool HasV1aFor(string[] entries, string whpk, TimeProvider time) =>
        entries.Where(e => e.StartsWith("v1a,", StringComparison.Ordinal))
            .Any(e => Ed25519WebhookKey.Verify(Ed25519WebhookKey.ParsePublicKey(whpk), Content(time), e[4..]));

    private static byte[] Content(TimeProvider time) => StandardWebhooksSigner.SignedContent(MessageId, time.GetUtcNow().ToUnixTimeSeconds(), Body);
}
