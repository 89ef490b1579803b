using System.Diagnostics.Metrics;
using Tidings.Telemetry;

namespace Tidings.LogFiles;

/// <summary>Log file downloads on the <c>Tidings</c> meter: bytes streamed to clients, by format.</summary>
internal sealed class LogFilesMetrics : ITidingsInstruments
{
    private readonly Counter<long> _streamed;

    public LogFilesMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TidingsDiagnostics.Name);
        _streamed = meter.CreateCounter<long>("tidings.logfile.streamed", "By", "Bytes of log files streamed to clients, by format (csv, json, xml).");
    }

    public void Streamed(long bytes, string format)
    {
        if (bytes > 0) _streamed.Add(bytes, new KeyValuePair<string, object?>("format", format));
    }
}
