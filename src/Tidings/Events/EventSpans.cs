using System.Diagnostics;
using Tidings.Telemetry;

namespace Tidings.Events;

/// <summary>
/// The span of an event's way into the journal, <c>tidings.journal.append</c>: a producer waiting for its event to be
/// durable (the intake log's part is <see cref="Intake.IntakeSpans"/>). It costs nothing while tracing is off: the
/// source has no listener and no span is started.
/// </summary>
internal static class EventSpans
{
    public const string Append = "tidings.journal.append";

    public static Activity? StartAppend(string type, int events)
    {
        var span = TidingsDiagnostics.StartChildSpan(Append);
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
}
