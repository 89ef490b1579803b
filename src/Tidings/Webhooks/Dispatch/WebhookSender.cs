using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;
using Tidings.Webhooks.Signing;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Makes one call to a receiver: encodes the events (one body, or a JSON array for a batch), signs the exact bytes
/// with the webhook's schemes, POSTs through the SSRF-guarded client (no redirects) and reports what came back.
/// Never throws for what the receiver or the network does: that is the <see cref="AttemptResult"/>.
/// </summary>
internal sealed class WebhookSender(
    SafeHttpClientFactory http,
    CopernicaSigner copernica,
    IWebhookKeySource keys,
    WebhookPayloads payloads,
    TimeProvider time,
    IOptions<DispatchOptions> options)
{
    public const string UserAgent = "Tidings-Webhooks/1.0";

    /// <summary>The W3C header a webhook with <c>trace_context</c> gets (the call's span).</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The body and content type for the events, in the webhook's format.</summary>
    public (ReadOnlyMemory<byte> Body, string ContentType) Encode(ActiveWebhook webhook, IReadOnlyList<DeliveryItem> items)
    {
        if (webhook.Batched)
        {
            return (payloads.EncodeBatch(items.Select(i => new JournalText(i.EventId, i.JournalType, i.Occurred, i.JournalPayload))), WebhookPayloads.JsonContentType);
        }

        var item = items[0];
        if (item.Body is null || item.BodyFormat != webhook.Format) WriteBody(item, webhook.Format);
        return (item.Body!, item.ContentType!);
    }

    /// <summary>Writes the item's single-event body in <paramref name="format"/> (the feeder does this ahead of the call).</summary>
    public void WriteBody(DeliveryItem item, WebhookFormat format)
    {
        using var json = JsonDocument.Parse(item.JournalPayload);
        WriteBody(item, format, json.RootElement);
    }

    /// <summary>The same, from the journal payload already parsed.</summary>
    public void WriteBody(DeliveryItem item, WebhookFormat format, JsonElement journalPayload)
    {
        var (body, contentType) = payloads.Encode(item.EventId, item.JournalType, item.Occurred, journalPayload, format) ?? (EmptyBody, WebhookPayloads.FormContentType);
        item.Body = body;
        item.ContentType = contentType;
        item.BodyFormat = format;
    }

    private static readonly byte[] EmptyBody = [];

    /// <summary>
    /// The <c>webhook-id</c> of a call: the event's id, identical on every retry; for a batch, a digest of its events'
    /// ids (receivers should drop duplicates by each event's own <c>event</c> field, as batches may be regrouped).
    /// </summary>
    public static string MessageId(IReadOnlyList<DeliveryItem> items) =>
        items.Count == 1 ? items[0].EventId
        : "batch_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', items.Select(i => i.EventId)))))[..32];

    /// <summary>A delivery: the response headers are kept only for failed calls (the feedback-loop log shows them).</summary>
    public Task<AttemptResult> SendAsync(ActiveWebhook webhook, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var (body, contentType) = Encode(webhook, items);
        return WebhookSpans.Enabled
            ? SendTracedAsync(webhook, items, body, contentType, cancellationToken)
            : SendAsync(webhook, body, contentType, MessageId(items), options.Value.ResponseExcerptBytes, cancellationToken, keepHeadersOfSuccess: false);
    }

    private async Task<AttemptResult> SendTracedAsync(ActiveWebhook webhook, IReadOnlyList<DeliveryItem> items, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        using var span = WebhookSpans.StartAttempt(webhook, items);
        var result = await SendAsync(webhook, body, contentType, MessageId(items), options.Value.ResponseExcerptBytes, cancellationToken, keepHeadersOfSuccess: false, span: span);
        WebhookSpans.Answered(span, result);
        return result;
    }

    /// <summary>Sends a body as it is (test calls with the user's own post data use this too).</summary>
    public async Task<AttemptResult> SendAsync(
        ActiveWebhook webhook, ReadOnlyMemory<byte> body, string contentType, string messageId, int excerptBytes, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? inspect = null, bool keepHeadersOfSuccess = true, Activity? span = null)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var call = http.Timeouts.Start(cancellationToken);
            using var request = await BuildRequestAsync(webhook, body, contentType, messageId, call.Token, span);
            inspect?.Invoke(request);
            using var response = await http.Invoker.SendAsync(request, call.Token);
            var excerpt = await ReadExcerptAsync(response.Content, excerptBytes, call.Token, cancellationToken);
            var headers = NoHeaders;
            if (keepHeadersOfSuccess || !response.IsSuccessStatusCode)
            {
                var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers)) all[name] = string.Join(", ", values);
                headers = all;
            }

            return new AttemptResult((int)response.StatusCode, ElapsedMs(started), null, excerpt, headers,
                RetryPolicy.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()), http.LastAddress(webhook.Handler));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(null, ElapsedMs(started), Describe(ex), null, NoHeaders, null, http.LastAddress(webhook.Handler));
        }
    }

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>The request with its body and every signing header (public for test calls, which show what was sent).</summary>
    /// <param name="span">The call's span: its trace context goes to the receiver only when the webhook asks for it
    /// (<see cref="ActiveWebhook.TraceContext"/>); the client itself never adds one (see <see cref="SafeHttpClientFactory"/>).</param>
    public async Task<HttpRequestMessage> BuildRequestAsync(ActiveWebhook webhook, ReadOnlyMemory<byte> body, string contentType, string messageId, CancellationToken cancellationToken, Activity? span = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, webhook.Handler) { Content = new ReadOnlyMemoryContent(body) };
        // Unparsed: the values are ours, and parsing them for every call costs more than the rest of the request.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (webhook.TraceContext && Telemetry.TraceContext.Of(span) is { } traceParent)
        {
            request.Headers.TryAddWithoutValidation(TraceParentHeader, traceParent);
        }

        var outgoing = new OutgoingWebhookRequest("POST", webhook.Handler, [new("Content-Type", contentType)], body, messageId, webhook.AccountId);
        if (webhook.Signing is WebhookSigningSchemes.Copernica or WebhookSigningSchemes.Both)
        {
            AddHeaders(request, await copernica.SignAsync(outgoing, cancellationToken));
        }

        if (webhook.Signing is WebhookSigningSchemes.Standard or WebhookSigningSchemes.Both)
        {
            var signer = new StandardWebhooksSigner(await keys.GetKeysAsync(webhook.Id, cancellationToken), time);
            AddHeaders(request, await signer.SignAsync(outgoing, cancellationToken));
        }
        else
        {
            // Unsigned or Copernica-signed calls still carry the stable id, so receivers can drop duplicates.
            request.Headers.TryAddWithoutValidation(StandardWebhooksSigner.IdHeader, messageId);
        }

        return request;
    }

    private static void AddHeaders(HttpRequestMessage request, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// The first bytes of the body. The status has already come within the timeout, and that decides the outcome: a
    /// body that is still unfinished when the call's time is up (<paramref name="call"/>) leaves the excerpt as it is.
    /// </summary>
    private static async Task<string?> ReadExcerptAsync(HttpContent content, int limit, CancellationToken call, CancellationToken caller)
    {
        if (limit <= 0) return null;
        if (content.Headers.ContentLength == 0) return "";
        if (content.Headers.ContentLength is { } length && length < limit) limit = (int)length;
        var buffer = new byte[limit];
        var total = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(call);
            while (total < limit)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), call);
                if (read == 0) break;
                total += read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException && !caller.IsCancellationRequested)
        {
            // Time up, or the connection broke after the status: the status stands, with what of the body arrived.
        }

        return total == 0 ? "" : Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>A short, stable description of why no response came.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        WebhookAddressRefusedException refused => refused.Message,
        // The caller's own cancellation is never described (it is not an outcome): a cancelled call timed out.
        OperationCanceledException or TimeoutException => "The receiver did not answer within the timeout.",
        HttpRequestException { InnerException: WebhookAddressRefusedException refused } => refused.Message,
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => $"Connection failed: {socket.SocketErrorCode} ({socket.Message})",
        HttpRequestException h when h.InnerException is IOException io => $"Connection failed: {io.Message}",
        HttpRequestException h => $"Request failed: {h.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
