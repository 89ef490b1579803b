using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// One event on its way to one webhook. <see cref="DeliveryId"/> is set when it comes from the retry store
/// (<c>webhook_deliveries</c>): a retry or a replay; otherwise it was read from the journal just now.
/// </summary>
internal sealed class DeliveryItem
{
    public required long Seq { get; init; }
    public required string EventId { get; init; }
    public required string JournalType { get; init; }

    /// <summary>Unix ms of the event (the journal record's <c>occurred</c>).</summary>
    public required long Occurred { get; init; }

    /// <summary>The journal record's payload (JSON, UTF-8), from which the webhook fields are written.</summary>
    public required byte[] JournalPayload { get; init; }

    public string? ProfileKey { get; init; }

    /// <summary>The trace context stored beside the event (tracing was on and sampled it): its calls continue that trace.</summary>
    public string? TraceParent { get; init; }
    public long? DeliveryId { get; init; }
    public long? ReplayId { get; init; }

    /// <summary>Attempts made before this one (persisted ones for retries, in-lane ones for ordered webhooks).</summary>
    public int Attempts { get; set; }

    /// <summary>Unix ms of the first attempt, if there was one.</summary>
    public long? FirstAttempt { get; set; }

    /// <summary>The body in <see cref="BodyFormat"/> (single-event calls), made once and reused by every attempt.</summary>
    public byte[]? Body { get; set; }

    public string? ContentType { get; set; }

    /// <summary>The format <see cref="Body"/> was written in: a webhook switched to another format gets a new body.</summary>
    public WebhookFormat BodyFormat { get; set; }
}

/// <summary>What one call to a receiver came to.</summary>
/// <param name="Status">HTTP status, or null when no response came (refused, reset, timeout, forbidden address).</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, as a delay from now.</param>
internal sealed record AttemptResult(
    int? Status,
    long LatencyMs,
    string? Error,
    string? ResponseExcerpt,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    TimeSpan? RetryAfter,
    string? RemoteIp)
{
    public bool Success => Status is >= 200 and < 300;

    /// <summary>410 Gone: the receiver says the endpoint no longer exists.</summary>
    public bool Gone => Status == 410;

    /// <summary>429 or 503: the receiver asks to slow down.</summary>
    public bool SlowDown => Status is 429 or 503;
}
