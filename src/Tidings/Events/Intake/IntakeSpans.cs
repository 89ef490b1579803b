using System.Diagnostics;
using Tidings.Telemetry;

namespace Tidings.Events.Intake;

/// <summary>The intake log's span, <c>tidings.intake.materialize</c>: a batch of records becoming journal rows.</summary>
internal static class IntakeSpans
{
    public const string Materialize = "tidings.intake.materialize";

    /// <summary>Most links one materialize span carries (OpenTelemetry's default limit).</summary>
    private const int MaxLinks = 128;

    /// <summary>
    /// The span of a batch of intake records becoming journal rows, when one of them was traced: it continues the first
    /// traced record's trace and links the others', so every event's trace shows when it reached the journal. Null when
    /// none was traced (or tracing is off).
    /// </summary>
    public static Activity? StartMaterialize(IReadOnlyList<IntakeRecord> records)
    {
        if (!TidingsDiagnostics.ActivitySource.HasListeners()) return null;
        ActivityContext parent = default;
        List<ActivityLink>? links = null;
        foreach (var record in records)
        {
            var context = TraceContext.Parse(record.TraceParent);
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
