using System.Diagnostics;
using Tidings.Telemetry;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The span of one call to a receiver, <c>tidings.webhook.attempt</c>. It continues the trace stored beside the event
/// (for a batch: the first traced event's, with links to the others'), so an event's trace runs from its open, click or
/// MTA result through the journal to every call made for it, retries included. Nothing is started while tracing is off.
/// </summary>
internal static class WebhookSpans
{
    public const string Attempt = "tidings.webhook.attempt";

    /// <summary>Most links one attempt span carries (OpenTelemetry's default limit).</summary>
    private const int MaxLinks = 128;

    /// <summary>Whether tracing is on (something listens): only then does a call take the traced path.</summary>
    public static bool Enabled => TidingsDiagnostics.ActivitySource.HasListeners();

    public static Activity? StartAttempt(ActiveWebhook webhook, IReadOnlyList<DeliveryItem> items)
    {
        var source = TidingsDiagnostics.ActivitySource;
        if (!source.HasListeners()) return null;
        ActivityContext parent = default;
        List<ActivityLink>? links = null;
        foreach (var item in items)
        {
            var context = TraceContext.Parse(item.TraceParent);
            if (context == default) continue;
            if (parent == default) parent = context;
            else if ((links ??= []).Count < MaxLinks) links.Add(new ActivityLink(context));
        }

        // Without a stored context the call starts a trace of its own, never under whatever span happened to start the worker.
        Activity.Current = null;
        var span = source.StartActivity(Attempt, ActivityKind.Client, parent, links: links);
        if (span is not { IsAllDataRequested: true }) return span;
        span.SetTag("tidings.webhook.id", webhook.Id);
        span.SetTag("tidings.webhook.events", items.Count);
        if (items.Count == 1) span.SetTag("tidings.event.id", items[0].EventId);
        span.SetTag("tidings.webhook.attempt", items.Max(i => i.Attempts) + 1);
        span.SetTag("http.request.method", "POST");
        span.SetTag("server.address", webhook.Handler.Host);
        span.SetTag("server.port", webhook.Handler.Port);
        return span;
    }

    public static void Answered(Activity? span, AttemptResult result)
    {
        if (span is not { IsAllDataRequested: true }) return;
        if (result.Status is { } status) span.SetTag("http.response.status_code", status);
        if (result.Success) return;
        span.SetTag("error.type", result.Status is { } failed ? failed.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no_response");
        span.SetStatus(ActivityStatusCode.Error, result.Error);
    }
}
