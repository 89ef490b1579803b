using System.Diagnostics.Metrics;
using Tidings.Events.Intake;
using Tidings.Telemetry;

namespace Tidings.Events;

/// <summary>
/// Event intake on the <c>Tidings</c> meter: events journaled (or taken into the intake log) by type, the events
/// waiting for the journal writer, and the intake log's backlog. The gauges read counters the writer and the intake
/// log keep anyway.
/// </summary>
internal sealed class EventsMetrics : ITidingsInstruments
{
    private readonly Counter<long> _ingested;
    private Func<int> _queued = static () => 0;

    public EventsMetrics(IMeterFactory meters, JournalIntake intake)
    {
        var meter = meters.Create(TidingsDiagnostics.Name);
        _ingested = meter.CreateCounter<long>("tidings.events.ingested", "{event}",
            "Tracking and delivery events recorded (journaled, or acknowledged from the intake log), by type.");
        meter.CreateObservableGauge("tidings.events.intake.queue", () => _queued(), "{event}",
            "Events waiting for the journal writer's next batch.");
        meter.CreateObservableGauge("tidings.events.intake.backlog", () => intake.BacklogBytes, "By",
            "Bytes in the intake log that are not journal rows yet (0 when the intake log is off).");
    }

    /// <summary>Where the queue depth is read (the journal writer's queue).</summary>
    public void ObserveQueue(Func<int> queued) => _queued = queued;

    /// <summary>One event of <paramref name="type"/> was recorded (no allocation: one tag, an interned string).</summary>
    public void Ingested(string type) => _ingested.Add(1, new KeyValuePair<string, object?>("type", type));
}
