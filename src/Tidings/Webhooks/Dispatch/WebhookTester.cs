using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Rest;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;
using Tidings.Webhooks.Domains;
using Tidings.Rejections;

namespace Tidings.Webhooks.Dispatch;

/// <summary>What a test call sent and what came back (<see cref="Method"/>: always POST; the URL is the handler).</summary>
internal sealed record WebhookTestResult(
    long WebhookId,
    string Handler,
    string Type,
    bool Validated,
    string? ValidationError,
    bool Success,
    int? Status,
    long LatencyMs,
    string? Error,
    string? RequestBody,
    IReadOnlyDictionary<string, string> RequestHeaders,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    string? ResponseBody)
{
    public string Method => "POST";
}

/// <summary>
/// "Test webhook" and "Check now": one call, right away, outside the queue, signed like a real one, with a sample
/// event of a type or the user's own post data; the answer (status, headers, body) is returned whole. Nothing is sent
/// to a handler whose domain is not validated, and the SSRF guard applies as for every call.
/// </summary>
internal sealed class WebhookTester(WebhookSender sender, DomainStore domains, WebhookPayloads payloads, CopernicaTime time, IOptions<DispatchOptions> options)
{
    /// <summary>The type a test call sends when none is chosen: the webhook's first trigger.</summary>
    public static string DefaultType(WebhookRecord record) => record.TriggerList.FirstOrDefault() ?? "open";

    /// <summary>The fields of the sample event of <paramref name="type"/> a test call sends for the webhook (what the user may edit as post data).</summary>
    public JsonObject Sample(WebhookRecord record, string type)
    {
        RequireType(type);
        return payloads.Build(SampleEvents.For(type, ActiveWebhook.From(record, []), time.NowMs()))!;
    }

    private static void RequireType(string type)
    {
        if (!WebhookTriggers.All.Contains(type)) throw new RequestRejectedException($"Unknown webhook type '{type}' (expected one of {string.Join(", ", WebhookTriggers.All)})");
    }

    public async Task<WebhookTestResult> TestAsync(WebhookRecord record, string? type, JsonNode? data, CancellationToken ct)
    {
        var validated = await domains.ValidatedDomainsAsync(record.AccountId, ct);
        var webhook = ActiveWebhook.From(record, validated);
        type ??= DefaultType(record);
        RequireType(type);
        var empty = new Dictionary<string, string>();
        if (webhook.DomainProblem is { } problem)
        {
            return new WebhookTestResult(record.Id, record.Handler, type, false, problem, false, null, 0, "Not sent: " + problem, null, empty, empty, null);
        }

        var (body, contentType) = Body(webhook, type, data);
        var requestHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var result = await sender.SendAsync(webhook, body, contentType, "test_" + Guid.CreateVersion7().ToString("N"), options.Value.TestResponseBytes, ct, request =>
        {
            foreach (var (name, values) in request.Headers) requestHeaders[name] = string.Join(", ", values);
            if (request.Content is not null)
            {
                foreach (var (name, values) in request.Content.Headers) requestHeaders[name] = string.Join(", ", values);
            }
        });
        return new WebhookTestResult(record.Id, record.Handler, type, true, null, result.Success, result.Status, result.LatencyMs, result.Error,
            Encoding.UTF8.GetString(body.Span), requestHeaders, result.ResponseHeaders, result.ResponseExcerpt);
    }

    private (ReadOnlyMemory<byte> Body, string ContentType) Body(ActiveWebhook webhook, string type, JsonNode? data)
    {
        var contentType = webhook.Batched || webhook.Format == WebhookFormat.Json ? WebhookPayloads.JsonContentType : WebhookPayloads.FormContentType;
        switch (data)
        {
            case null:
                var sample = payloads.Build(SampleEvents.For(type, webhook, time.NowMs()))!;
                return webhook.Batched ? (WebhookPayloads.ToJsonBatch([sample]), contentType) : WebhookPayloads.Encode(sample, webhook.Format);
            case JsonObject fields:
                return contentType == WebhookPayloads.JsonContentType
                    ? (WebhookPayloads.ToJson(fields), contentType)
                    : (Encoding.UTF8.GetBytes(WebhookPayloads.ToForm(fields)), contentType);
            case JsonValue value when value.TryGetValue<string>(out var raw):
                // Post data exactly as the user typed it (e.g. a=1&b=2, or a JSON text).
                return (Encoding.UTF8.GetBytes(raw), contentType);
            default:
                return (Encoding.UTF8.GetBytes(data.ToJsonString()), WebhookPayloads.JsonContentType);
        }
    }
}
