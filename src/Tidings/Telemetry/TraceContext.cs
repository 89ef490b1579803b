using System.Diagnostics;

namespace Tidings.Telemetry;

/// <summary>
/// The W3C trace context (<c>traceparent</c>) that Tidings keeps beside an event so that work done for it later (after
/// the intake log, in a webhook call) continues its trace. Only a sampled span of Tidings' own is ever kept: with tracing
/// off there is no such span, and nothing is stored.
/// </summary>
internal static class TraceContext
{
    /// <summary>The longest traceparent kept (version 00 is 55 characters; later versions may add fields).</summary>
    public const int MaxLength = 128;

    /// <summary>The span's traceparent when it is sampled (recorded), else null.</summary>
    public static string? Of(Activity? span) =>
        span is { Recorded: true, IdFormat: ActivityIdFormat.W3C } && span.Id is { Length: <= MaxLength } id ? id : null;

    /// <summary>
    /// A stored traceparent as the parent of a span, or default (none, or not a valid traceparent). It was this server's own
    /// recorded span, so it counts as a local parent: the spans under it are recorded too.
    /// </summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is { Length: > 0 and <= MaxLength } && ActivityContext.TryParse(traceParent, null, isRemote: false, out var context) ? context : default;
}
