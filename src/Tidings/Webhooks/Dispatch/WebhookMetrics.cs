using System.Diagnostics.Metrics;
using Tidings.Telemetry;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// Webhook delivery on the <c>Tidings</c> meter: calls by outcome and status class, their duration, retries, the
/// backlog per webhook and the webhooks the server disabled. Tags are prebuilt, so counting a call allocates nothing;
/// the gauges read what the dispatcher keeps in memory (the runners, the count of its last configuration load).
/// </summary>
internal sealed class WebhookMetrics : ITidingsInstruments
{
    /// <summary>What a call came to (the ledger's disposition of its events).</summary>
    internal enum Outcome { Delivered, Retry, Held, Failed, Disabled }

    private static readonly string[] OutcomeNames = ["delivered", "retry", "held", "failed", "disabled"];
    private static readonly string[] ClassNames = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>Bounds for call durations in seconds: the HTTP semantic conventions' buckets, plus 30 s (the longest timeout).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?>[] _outcomeTags = [.. OutcomeNames.Select(o => new KeyValuePair<string, object?>("outcome", o))];
    private readonly KeyValuePair<string, object?>[] _classTags = [.. ClassNames.Select(c => new KeyValuePair<string, object?>("status_class", c))];
    private Func<IEnumerable<(long WebhookId, long Backlog)>> _backlogs = static () => [];
    private long _disabled;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TidingsDiagnostics.Name);
        _deliveries = meter.CreateCounter<long>("tidings.webhook.deliveries", "{call}",
            "Calls to webhook receivers, by outcome (delivered, retry, held, failed, disabled) and status class (2xx … 5xx, none: no response).");
        _retries = meter.CreateCounter<long>("tidings.webhook.retries", "{call}", "Calls that repeat an earlier failed call of the same events.");
        _duration = meter.CreateHistogram("tidings.webhook.delivery.duration", "s", "How long calls to webhook receivers took, by status class.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge("tidings.webhook.backlog", Backlogs, "{record}",
            "Journal records a running webhook has not settled yet (read, queued or in flight), by webhook id.");
        meter.CreateObservableGauge("tidings.webhook.disabled", () => Interlocked.Read(ref _disabled), "{webhook}",
            "Webhooks the server disabled (after failing too long or 410 Gone) and nobody enabled again.");
    }

    /// <summary>Where the backlogs are read (the dispatcher's runners).</summary>
    public void ObserveBacklogs(Func<IEnumerable<(long WebhookId, long Backlog)>> backlogs) => _backlogs = backlogs;

    /// <summary>The count of server-disabled webhooks, from the dispatcher's last configuration load.</summary>
    public void SetDisabled(long count) => Interlocked.Exchange(ref _disabled, count);

    /// <summary>One call: its outcome, the receiver's status (null: no response), its duration, whether it was a retry.</summary>
    public void Called(Outcome outcome, int? status, TimeSpan duration, bool retry)
    {
        var statusClass = _classTags[status is >= 100 and < 600 ? status.Value / 100 : 0];
        _deliveries.Add(1, _outcomeTags[(int)outcome], statusClass);
        _duration.Record(duration.TotalSeconds, statusClass);
        if (retry) _retries.Add(1);
    }

    private IEnumerable<Measurement<long>> Backlogs()
    {
        foreach (var (id, backlog) in _backlogs()) yield return new Measurement<long>(backlog, new KeyValuePair<string, object?>("webhook_id", id));
    }
}
