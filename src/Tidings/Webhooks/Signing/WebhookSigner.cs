namespace Tidings.Webhooks.Signing;

/// <summary>
/// One outgoing webhook call as the delivery engine is about to send it. <paramref name="Body"/> holds the exact bytes
/// that will go on the wire: every scheme signs those bytes, so the body must not be re-serialised after signing.
/// </summary>
/// <param name="Method">HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Url">The absolute target URL (its host, port, path and query are signed by the Copernica scheme).</param>
/// <param name="Headers">Headers already set, e.g. <c>Content-Type</c>. Names compare case-insensitively.</param>
/// <param name="Body">The exact body bytes.</param>
/// <param name="EventId">The event's stable id: identical on every retry of the same event (Standard Webhooks' <c>webhook-id</c>).</param>
/// <param name="AccountId">The account the webhook belongs to (Copernica's <c>X-Copernica-ID</c>).</param>
internal sealed record OutgoingWebhookRequest(
    string Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    string EventId,
    long AccountId)
{
    /// <summary>The value of a header set so far, or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        }

        return null;
    }
}

/// <summary>
/// A pluggable signing step: given the request about to be sent, returns the headers to add. The attempt time comes
/// from the signer's injected <see cref="TimeProvider"/>, so every retry is signed anew with its own time.
/// </summary>
internal interface IWebhookSigner
{
    /// <summary>A short name for logs and configuration, e.g. <c>copernica</c> or <c>standard-webhooks</c>.</summary>
    string Scheme { get; }

    ValueTask<IReadOnlyList<KeyValuePair<string, string>>> SignAsync(OutgoingWebhookRequest request, CancellationToken cancellationToken = default);
}
