using System.Diagnostics;
using System.Globalization;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// The <c>outage</c> part: a receiver that is down while a large backlog (<c>--outage-events</c>) piles up behind its
/// webhook's cursor, then comes back. Each run measures, in turn: (a) a normal drain of as many events from a backlog to a
/// receiver that answers at once; (b) on a fresh server, the receiver down (503 to every call, or refusing connections)
/// while the opens come in through the pixel with dispatch on, until all are journaled and the webhook is failing; then
/// the receiver back, until every event has arrived at least once. The ratio (b)/(a) is the drain's speed after an
/// outage against a normal drain of the same size, in the same run; RssAnon is sampled every second throughout.
/// </summary>
public sealed partial class Bench
{
    private sealed record OutageRun(DrainResult Normal, double Rate, double SteadyRate, double SecondsToAll, double FirstDeliverySeconds, double CpuMicros,
        IReadOnlyList<long> AnonMiB, long RetriesAtRecovery, long RetryRowsAtEnd, long Duplicates, bool Complete, double JournalSeconds)
    {
        public double Ratio => Rate / Normal.Rate;
    }

    private async Task<bool> LargeOutageAsync()
    {
        var runs = new List<OutageRun>();
        for (var run = 0; run < o.Runs; run++)
        {
            var normal = await DrainAsync($"outage run {run + 1} (a): normal drain", _v1, o.OutageEvents);
            Console.WriteLine("(a) RssAnon: " + ProcessStats.AnonTrend(normal.AnonMiB));
            var outage = await OutageBacklogAsync(run, normal);
            runs.Add(outage);
            Console.WriteLine(FormattableString.Invariant(
                $"outage run {run + 1}: normal {normal.Rate:F0}/s, after the outage {outage.Rate:F0}/s (from its first delivery, steady: {outage.SteadyRate:F0}/s), ratio {outage.Ratio:F2}"));
        }

        static string Runs(IEnumerable<double> values, string format) => string.Join("; ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
        var mode = o.OutageMode == "refused" ? "connection refused" : "503 to every call";
        Add($"Outage: {o.OutageEvents} opens journaled while the receiver is down ({mode})", FormattableString.Invariant(
            $"journaled in {Runs(runs.Select(r => r.JournalSeconds), "F0")} s; retry-store rows pending at recovery {string.Join("; ", runs.Select(r => r.RetriesAtRecovery))}, rows at the end {string.Join("; ", runs.Select(r => r.RetryRowsAtEnd))}"));
        Add("(a) Normal drain, deliveries/s (runs)", $"{Median(runs.Select(r => r.Normal.Rate)):F0} ({Runs(runs.Select(r => r.Normal.Rate), "F0")}); server CPU {Median(runs.Select(r => r.Normal.ServerCpuMicrosPerEvent)):F0} µs per delivery");
        Add("(b) After the outage, recovery → last event, deliveries/s (runs)", FormattableString.Invariant(
            $"{Median(runs.Select(r => r.Rate)):F0} ({Runs(runs.Select(r => r.Rate), "F0")}); all delivered {Runs(runs.Select(r => r.SecondsToAll), "F1")} s after recovery, first {Runs(runs.Select(r => r.FirstDeliverySeconds), "F1")} s after; server CPU {Median(runs.Select(r => r.CpuMicros)):F0} µs per delivery; duplicates {string.Join("; ", runs.Select(r => r.Duplicates))}"));
        var ratio = Median(runs.Select(r => r.Ratio));
        Add("**Ratio (b)/(a), same run (target ≥ 0.9)**", $"**{ratio:F2}** ({Runs(runs.Select(r => r.Ratio), "F2")}) {(ratio >= 0.9 ? "met" : "missed")}");
        Add("RssAnon (a) normal drain", string.Join("; ", runs.Select(r => ProcessStats.AnonTrend(r.Normal.AnonMiB))));
        Add("RssAnon (b) outage and drain", string.Join("; ", runs.Select(r => ProcessStats.AnonTrend(r.AnonMiB))));
        return runs.All(r => r.Complete);
    }

    private async Task<OutageRun> OutageBacklogAsync(int run, DrainResult normal)
    {
        var count = o.OutageEvents;
        var first = 10_000_000 + run * count;
        var refused = o.OutageMode == "refused";
        var start = _store.JournalEnd();
        _store.DeliverOnly(_v1, start);
        var tally = receiver.Reset(first, count, count / 10);
        if (refused) await receiver.StopListeningAsync();
        else receiver.Unavailable = true;
        // Journal rows at once, as in the capacity part (by default the intake log keeps them back while the machine is busy).
        using var server = await ServerProcess.StartAsync(databaseFile, Settings(dispatch: true, [new("Events:IntakeIdleCpuThreshold", "0")]));
        using var stats = new ProcessStats(server.ProcessId);
        var journaling = Stopwatch.StartNew();
        var (seconds, retried) = await OpenDriver.RunAsync(server.BaseAddress, _paths, first, count, 64, null, null);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while ((_store.OpensAfter(start) < count || !_store.Failing(_v1)) && DateTime.UtcNow < deadline) await Task.Delay(500);
        // The statistics catch up meanwhile (they do not wait for the receiver), as before the normal drain.
        var journalEnd = _store.JournalEnd();
        while (_store.OtherConsumersAt() < journalEnd && DateTime.UtcNow < deadline) await Task.Delay(500);
        var journalSeconds = journaling.Elapsed.TotalSeconds;
        var (pending, _) = _store.Retries(_v1);
        Console.WriteLine(FormattableString.Invariant(
            $"(b) {count} opens accepted in {seconds:F1} s ({retried} retried), all journaled after {journalSeconds:F1} s, statistics caught up after {journaling.Elapsed.TotalSeconds:F1} s; receiver down ({(refused ? "refused" : "503")}), {tally.Failed} failed calls seen, {pending} retries pending; RssAnon so far {ProcessStats.AnonTrend(stats.AnonSamplesMiB())}"));

        tally.Mark();
        var cpuAtRecovery = stats.CpuSince();
        var back = Stopwatch.GetTimestamp();
        if (refused) await receiver.StartListeningAsync();
        else receiver.Unavailable = false;
        var complete = await tally.WaitAllAsync(TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(120));
        var cpu = stats.CpuSince() - cpuAtRecovery;
        server.Kill();
        var (_, rows) = _store.Retries(_v1);
        var left = count - tally.DeliveredAtMark;
        var afterRecovery = Tally.Seconds(back, tally.LastDelivery);
        var anon = stats.AnonSamplesMiB();
        var result = new OutageRun(normal, left / afterRecovery, tally.DeliveriesPerSecond, afterRecovery, Tally.Seconds(back, tally.FirstDeliveryAfterMark),
            cpu * 1e6 / Math.Max(1, left), anon, pending, rows, tally.Duplicates, complete, journalSeconds);
        Console.WriteLine(FormattableString.Invariant(
            $"(b) {tally.Delivered}/{count} distinct events delivered{(complete ? "" : " (INCOMPLETE)")}, {tally.Duplicates} duplicates, {tally.Failed} failed calls; {afterRecovery:F1} s after recovery = {result.Rate:F0}/s; server CPU {result.CpuMicros:F0} µs/delivery; retry-store rows {rows}; RssAnon {ProcessStats.AnonTrend(anon)}"));
        Console.WriteLine("(b) RssAnon every 10 s (MiB): " + string.Join(' ', anon.Where((_, i) => i % 10 == 0)));
        return result;
    }
}
