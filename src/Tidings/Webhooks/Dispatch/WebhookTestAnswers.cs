using System.Globalization;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// <c>POST webhook/{id}/test</c>: the call made, and the receiver's whole answer (<c>response</c> is null when none came).
/// </summary>
internal sealed record WebhookTestAnswer(
    string Webhook,
    string Handler,
    string Type,
    bool Validated,
    string? ValidationError,
    bool Success,
    int? Status,
    long LatencyMs,
    string? Error,
    WebhookTestRequestAnswer Request,
    WebhookTestResponseAnswer? Response)
{
    public static WebhookTestAnswer From(WebhookTestResult r) => new(
        r.WebhookId.ToString(CultureInfo.InvariantCulture), r.Handler, r.Type, r.Validated, r.ValidationError, r.Success, r.Status, r.LatencyMs, r.Error,
        new WebhookTestRequestAnswer(r.Handler, new HeadersAnswer(r.RequestHeaders), r.RequestBody),
        r.Status is { } status ? new WebhookTestResponseAnswer(status, new HeadersAnswer(r.ResponseHeaders), r.ResponseBody) : null);
}

internal sealed record WebhookTestRequestAnswer(string Url, HeadersAnswer Headers, string? Body);

internal sealed record WebhookTestResponseAnswer(int Status, HeadersAnswer Headers, string? Body);

/// <summary><c>POST webhooks/check</c>: a test call to every webhook of the account, and how many succeeded.</summary>
internal sealed record WebhookChecksAnswer(int Count, int Succeeded, IReadOnlyList<WebhookCheckAnswer> Data)
{
    public static WebhookChecksAnswer From(IReadOnlyList<WebhookTestResult> results) =>
        new(results.Count, results.Count(r => r.Success), results.Select(WebhookCheckAnswer.From).ToList());
}

/// <summary>One webhook's test call in <see cref="WebhookChecksAnswer"/>: the keys of <see cref="WebhookTestAnswer"/> without the request and the response.</summary>
internal sealed record WebhookCheckAnswer(
    string Webhook,
    string Handler,
    string Type,
    bool Validated,
    string? ValidationError,
    bool Success,
    int? Status,
    long LatencyMs,
    string? Error)
{
    public static WebhookCheckAnswer From(WebhookTestResult r) => new(
        r.WebhookId.ToString(CultureInfo.InvariantCulture), r.Handler, r.Type, r.Validated, r.ValidationError, r.Success, r.Status, r.LatencyMs, r.Error);
}
