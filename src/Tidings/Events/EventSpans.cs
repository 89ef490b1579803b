using System.Diagnostics;
using Tidings.Telemetry;

namespace Tidings.Events;

/// <summary>
/// The spans of an event's way into the journal: <c>tidings.journal.append</c> (a producer waiting for its event to be
/// durable) and <c>tidings.intake.materialize</c> (the intake log's batch becoming journal rows). Each costs nothing
/// while tracing is off: the source has no listener and no span is started.
/// </summary>
internal static class EventSpans
{
    public const string Append = "tidings.journal.append";
    public const string Materialize = "tidings.intake.materialize";

    /// <summary>Most links one materialize span carries (OpenTelemetry's default limit).</summary>
    public const int MaxLinks = 128;

    public static Activity? StartAppend(string type, int events)
    {
        var span = TidingsDiagnostics.ActivitySource.StartActivity(Append);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("tidings.event.type", type);
            span.SetTag("tidings.event.count", events);
        }

        return span;
    }

    public static void Appended(Activity? span, AppendOutcome outcome, bool spooled)
    {
        if (span is not { IsAllDataRequested: true }) return;
        span.SetTag("tidings.journal.outcome", outcome switch
        {
            AppendOutcome.Recorded => "recorded",
            AppendOutcome.Duplicate => "duplicate",
            _ => "unknown_destination",
        });
        span.SetTag("tidings.journal.intake", spooled);
    }

    public static void Appended(Activity? span, int recorded, bool spooled)
    {
        if (span is not { IsAllDataRequested: true }) return;
        span.SetTag("tidings.journal.recorded", recorded);
        span.SetTag("tidings.journal.intake", spooled);
    }

    /// <summary>Marks the span failed; false, so that it can stand in an exception filter.</summary>
    public static bool Failed(Activity? span, Exception ex)
    {
        span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        span?.SetTag("error.type", ex.GetType().FullName);
        return false;
    }

    /// <summary>
    /// The span of a batch of intake records becoming journal rows, when one of them was traced: it continues the first
    /// traced record's trace and links the others', so every event's trace shows when it reached the journal. Null when
    /// none was traced (or tracing is off).
    /// </summary>
    public static Activity? StartMaterialize<T>(IReadOnlyList<T> records, Func<T, string?> traceParent)
    {
        if (!TidingsDiagnostics.ActivitySource.HasListeners()) return null;
        ActivityContext parent = default;
        List<ActivityLink>? links = null;
        foreach (var record in records)
        {
            var context = TraceContext.Parse(traceParent(record));
            if (context == default) continue;
            if (parent == default)
            {
                parent = context;
            }
            else if ((links ??= []).Count < MaxLinks)
            {
                links.Add(new ActivityLink(context));
            }
        }

        if (parent == default) return null;
        var span = TidingsDiagnostics.ActivitySource.StartActivity(Materialize, ActivityKind.Internal, parent, links: links);
        span?.SetTag("tidings.intake.events", records.Count);
        span?.SetTag("tidings.intake.traced", 1 + (links?.Count ?? 0));
        return span;
    }
}
