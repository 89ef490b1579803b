using System.Globalization;
using System.Text;

namespace Tidings.Webhooks.Signing;

/// <summary>A symmetric secret and, for one that is being replaced, the moment it stops signing.</summary>
internal sealed record ScheduledWebhookSecret(WebhookSecret Secret, DateTimeOffset? ValidUntil = null);

/// <summary>
/// One webhook's Standard Webhooks keys. During a rotation the new secret and the old one (until its
/// <see cref="ScheduledWebhookSecret.ValidUntil"/>) both sign, so a receiver configured with either keeps accepting.
/// </summary>
internal sealed record StandardWebhooksKeys(IReadOnlyList<ScheduledWebhookSecret> Secrets, Ed25519WebhookKey? Ed25519Key = null)
{
    public static StandardWebhooksKeys Symmetric(params WebhookSecret[] secrets) => new(secrets.Select(s => new ScheduledWebhookSecret(s)).ToList());

    public static StandardWebhooksKeys Asymmetric(Ed25519WebhookKey key) => new([], key);
}

/// <summary>
/// Signs per the Standard Webhooks specification (v1.0.0): <c>webhook-id</c> (the event's stable id, identical across
/// retries), <c>webhook-timestamp</c> (Unix seconds of this attempt) and <c>webhook-signature</c>, a space-separated
/// list of <c>v1,&lt;HMAC-SHA256&gt;</c> (one per still-valid secret) and <c>v1a,&lt;ed25519&gt;</c> entries over
/// <c>id.timestamp.body</c>.
/// </summary>
internal sealed class StandardWebhooksSigner(StandardWebhooksKeys keys, TimeProvider time) : IWebhookSigner
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public string Scheme => "standard-webhooks";

    public ValueTask<IReadOnlyList<KeyValuePair<string, string>>> SignAsync(OutgoingWebhookRequest request, CancellationToken cancellationToken = default)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        return ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>>(
        [
            new(IdHeader, request.EventId),
            new(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(SignatureHeader, Sign(request.EventId, timestamp, request.Body.Span)),
        ]);
    }

    /// <summary>The <c>webhook-signature</c> value for one message at one time.</summary>
    public string Sign(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(messageId) || messageId.Contains('.', StringComparison.Ordinal) || messageId.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("A webhook-id must be non-empty and contain no '.' or space.", nameof(messageId));
        }

        // "msg_id.timestamp." then the body as sent, signed without copying the body behind it.
        var maxHead = MaxHeadBytes(messageId);
        Span<byte> head = maxHead <= 512 ? stackalloc byte[maxHead] : new byte[maxHead];
        head = head[..WriteHead(messageId, timestamp, head)];

        var now = time.GetUtcNow();
        var signatures = new List<string>(1);
        foreach (var secret in keys.Secrets)
        {
            if (secret.ValidUntil is { } until && until <= now) continue;
            signatures.Add("v1," + secret.Secret.Sign(head, body));
        }

        if (keys.Ed25519Key is { } key) signatures.Add("v1a," + key.Sign(head, body));
        return signatures.Count switch
        {
            0 => throw new InvalidOperationException("The webhook has no valid signing secret or key."),
            1 => signatures[0],
            _ => string.Join(' ', signatures),
        };
    }

    /// <summary><c>msg_id.timestamp.body</c> as bytes: the body is used exactly as sent.</summary>
    public static byte[] SignedContent(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var head = new byte[MaxHeadBytes(messageId)];
        var length = WriteHead(messageId, timestamp, head);
        var content = new byte[length + body.Length];
        head.AsSpan(0, length).CopyTo(content);
        body.CopyTo(content.AsSpan(length));
        return content;
    }

    private static int MaxHeadBytes(string messageId) => Encoding.UTF8.GetMaxByteCount(messageId.Length) + 22; // two dots and a long

    /// <summary>Writes <c>msg_id.timestamp.</c> (UTF-8) into <paramref name="destination"/>; returns its length.</summary>
    private static int WriteHead(string messageId, long timestamp, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetBytes(messageId, destination);
        destination[length++] = (byte)'.';
        timestamp.TryFormat(destination[length..], out var digits, provider: CultureInfo.InvariantCulture);
        length += digits;
        destination[length++] = (byte)'.';
        return length;
    }
}
