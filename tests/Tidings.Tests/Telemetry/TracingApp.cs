using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Tidings.Tests.Webhooks.Dispatch;

namespace Tidings.Tests.Telemetry;

/// <summary>
/// The delivery test server with tracing on (every trace recorded) and its spans kept in memory. On SQLite, tracked
/// events wait in the intake log for up to a second before they become journal rows (the machine always counts as busy),
/// so the trace has to cross the intake log's deferral.
/// </summary>
public class TracingApp : DeliveryApp
{
    public SpanList Spans { get; } = new();

    protected virtual bool KeepsSpans => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Tracing:Enabled"] = "true",
        ["Tracing:SamplingRatio"] = "1",
        ["Events:IntakeIdleCpuThreshold"] = "1",
        ["Events:IntakeMaxDeferral"] = "00:00:01",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (KeepsSpans) builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans)));
    }
}

/// <summary>The same server with tracing off (the default).</summary>
public sealed class UntracedApp : DeliveryApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Events:IntakeIdleCpuThreshold"] = "1",
        ["Events:IntakeMaxDeferral"] = "00:00:01",
    };
}

/// <summary>Exported spans, safe to read while the exporter adds to it.</summary>
public sealed class SpanList : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_lock) return [.. _spans];
    }

    /// <summary>Waits until a span matches <paramref name="match"/>.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Snapshot().FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No span {what} in {seconds} s; spans: " + string.Join(", ", Snapshot().Select(s => $"{s.OperationName} {s.TraceId}")));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public void Add(Activity item)
    {
        lock (_lock) _spans.Add(item);
    }

    public void Clear()
    {
        lock (_lock) _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_lock) return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_lock) _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_lock) return _spans.Remove(item);
    }

    public int Count
    {
        get
        {
            lock (_lock) return _spans.Count;
        }
    }

    public bool IsReadOnly => false;

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
