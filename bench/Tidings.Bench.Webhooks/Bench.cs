using System.Diagnostics;
using System.Globalization;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Webhooks;

/// <summary>One drain: a server started with a backlog for one webhook, until every event was acknowledged.</summary>
public sealed record DrainResult(
    string Label, bool Complete, Tally Tally, double ServerCpuSeconds, double ReceiverCpuSeconds, IReadOnlyList<long> MemoryMiB, string Memory,
    IReadOnlyList<long> AnonMiB)
{
    public double Rate => Tally.DeliveriesPerSecond;

    public double CallsPerSecond => Tally.Calls / Tally.Seconds(Tally.FirstCall, Tally.LastCall);

    /// <summary>Server CPU per event in the steady state (after the first tenth, like <see cref="Rate"/>).</summary>
    public double ServerCpuMicrosPerEvent => ServerCpuSeconds * 1e6 / Math.Max(1, Tally.Delivered - Tally.WarmUp);
}

/// <summary>
/// The benchmark's phases. The opens are journaled once, with dispatch off; every drain then starts a server whose only
/// enabled webhook has its cursor just before them, so each drain delivers the same backlog.
/// </summary>
public sealed partial class Bench(BenchOptions o, string databaseFile, Receiver receiver)
{
    private readonly BenchStore _store = new(databaseFile);
    private readonly List<string> _report = [];
    private List<string> _paths = [];
    private long _backlogStart;
    private long _v1, _rsa, _ed;

    private IEnumerable<KeyValuePair<string, string>> Settings(bool dispatch, IEnumerable<KeyValuePair<string, string>>? extra = null) =>
    [
        new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
        new("Webhooks:Delivery:Hosts:" + BenchStore.Host, "127.0.0.1"),
        // One connection per call in flight, as the baseline has (the default allows 10 per receiver).
        new("Webhooks:Delivery:MaxConnectionsPerServer", o.Concurrency.ToString(CultureInfo.InvariantCulture)),
        new("Webhooks:Dispatch:Enabled", dispatch ? "true" : "false"),
        .. extra ?? [],
        .. o.Settings,
    ];

    private Uri Handler(string path) => new($"http://{BenchStore.Host}:{receiver.Port}/{path}");

    public async Task<int> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        await PrepareAsync();
        var ok = true;
        double maxRate = 0;
        if (o.Parts.Contains("drain") || (o.Parts.Contains("latency") && o.LatencyRate == 0))
        {
            var drains = new List<DrainResult>();
            var baselines = new List<Baseline>();
            List<SignedBody>? bodies = null;
            for (var run = 0; run < o.Runs; run++)
            {
                Baseline? baseline = null;
                if (run % 2 == 1 && bodies is not null) baseline = await BaselineAsync(bodies);
                var drain = await DrainAsync($"v1 run {run + 1}", _v1, o.Events, warmUp: o.WarmUp);
                drains.Add(drain);
                ok &= drain.Complete;
                bodies ??= PlainBaseline.Prepare(receiver.FirstSample ?? throw new InvalidOperationException("no delivery seen"), 0, o.Events);
                baseline ??= await BaselineAsync(bodies);
                baselines.Add(baseline);
                Console.WriteLine(FormattableString.Invariant(
                    $"run {run + 1}: engine {drain.Rate:F0}/s; plain HttpClient in its own process {baseline.OwnProcess:F0}/s, ratio {drain.Rate / baseline.OwnProcess:F2}; in the receiver's process {baseline.ReceiversProcess:F0}/s, ratio {drain.Rate / baseline.ReceiversProcess:F2}"));
            }

            maxRate = Median(drains.Select(d => d.Rate));
            var ratios = drains.Zip(baselines, (d, b) => d.Rate / b.OwnProcess).ToList();
            var ratio = Median(ratios);
            var shared = drains.Zip(baselines, (d, b) => d.Rate / b.ReceiversProcess).ToList();
            static string Runs(IEnumerable<double> values, string format) => string.Join("; ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
            Add("Body", $"{receiver.FirstSample!.Body.Length} bytes, {receiver.FirstSample.ContentType}");
            Add("Webhook deliveries/s, v1 signing (runs)", $"**{maxRate:F0}** ({Runs(drains.Select(d => d.Rate), "F0")})");
            Add("Plain HttpClient in a process of its own, pre-signed, same concurrency (runs)", $"{Median(baselines.Select(b => b.OwnProcess)):F0} ({Runs(baselines.Select(b => b.OwnProcess), "F0")}); client CPU {Median(baselines.Select(b => b.ClientMicrosPerCall)):F0} µs per call");
            Add("Ratio engine / plain client in its own process, same run (target ≥ 0.7)", $"**{ratio:F2}** ({Runs(ratios, "F2")}) {(ratio >= 0.7 ? "met" : "missed")}");
            Add("Plain HttpClient in the receiver's own process (runs)", $"{Median(baselines.Select(b => b.ReceiversProcess)):F0} ({Runs(baselines.Select(b => b.ReceiversProcess), "F0")}); client and receiver CPU {Median(baselines.Select(b => b.SharedMicrosPerCall)):F0} µs per call");
            Add("Ratio engine / plain client in the receiver's process, same run", $"{Median(shared):F2} ({Runs(shared, "F2")})");
            Add("Server CPU per delivery", $"{Median(drains.Select(d => d.ServerCpuMicrosPerEvent)):F0} µs");
            Add("Duplicates / failed calls during drains", $"{drains.Sum(d => d.Tally.Duplicates)} / {drains.Sum(d => d.Tally.Failed)}");
            Add("Server VmRSS during a drain (min / median / max)", drains[^1].Memory);
        }

        if (o.Parts.Contains("signing"))
        {
            var rsa = await DrainAsync("rsa-sha256", _rsa, o.Events, warmUp: o.WarmUp);
            var ed = await DrainAsync("v1 + ed25519", _ed, o.Events, warmUp: o.WarmUp);
            ok &= rsa.Complete && ed.Complete;
            Add("Deliveries/s, rsa-sha256 (`copernica`)", $"{rsa.Rate:F0} (server CPU {rsa.ServerCpuMicrosPerEvent:F0} µs per delivery)");
            Add("Deliveries/s, v1 + v1a ed25519 (`standard` with an ed25519 key)", $"{ed.Rate:F0} (server CPU {ed.ServerCpuMicrosPerEvent:F0} µs per delivery)");
        }

        if (o.Parts.Contains("faults"))
        {
            ok &= await FailingReceiverAsync();
            ok &= await OutageAsync();
        }

        if (o.Parts.Contains("outage")) ok &= await LargeOutageAsync();

        // Last: their opens are journaled after the backlog, which every drain delivers from its start.
        double capacity = 0;
        if (o.Parts.Contains("capacity"))
        {
            var (complete, rate) = await CapacityAsync();
            ok &= complete;
            capacity = rate;
        }

        if (o.Parts.Contains("latency"))
        {
            if (o.LatencyRate > 0) ok &= await LatencyAsync(o.LatencyRate, "chosen rate");
            if (o.LatencyRate == 0 && capacity > 0) ok &= await LatencyAsync(capacity / 2, "half the end-to-end max");
            if (o.LatencyRate == 0 && maxRate > 0) ok &= await LatencyAsync(maxRate / 2, "half the drain max");
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"{o.Events} events, concurrency {o.Concurrency}, format {o.Format}, {o.Runs} runs, {watch.Elapsed.TotalMinutes:F1} min"));
        Console.WriteLine();
        Console.WriteLine("| Measure | Result |");
        Console.WriteLine("|---|---|");
        foreach (var line in _report) Console.WriteLine(line);
        return ok ? 0 : 1;
    }

    private void Add(string measure, string result) => _report.Add($"| {measure} | {result} |");

    private async Task PrepareAsync()
    {
        using var server = await ServerProcess.StartAsync(databaseFile, Settings(dispatch: false));
        var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
        _store.ValidateDomain();
        using var setup = new BenchSetup(server.BaseAddress, token);
        Console.WriteLine($"Server pid {server.ProcessId}; preparing {o.Destinations} destinations …");
        _paths = await setup.MailingAsync(o.Destinations);
        _v1 = await setup.WebhookAsync(Handler("v1"), "standard", o.Format, o.Concurrency, o.MaxPerSecond);
        _rsa = await setup.WebhookAsync(Handler("rsa"), "copernica", o.Format, o.Concurrency, o.MaxPerSecond);
        _ed = await setup.WebhookAsync(Handler("ed25519"), "standard", o.Format, o.Concurrency, o.MaxPerSecond);
        await setup.AddEd25519Async(_ed);
        _backlogStart = _store.JournalEnd();
        var count = Math.Max(Math.Max(o.WarmUp + o.Events, o.FaultEvents), o.Parts.Contains("outage") ? o.OutageEvents : 0);
        var (seconds, retried) = await OpenDriver.RunAsync(server.BaseAddress, _paths, 0, count, 64, null, null);
        Console.WriteLine(FormattableString.Invariant($"{count} opens journaled in {seconds:F1} s ({count / seconds:F0}/s, {retried} retried); journal {_backlogStart} → {_store.JournalEnd()}"));
        // Every open must be a journal row before the drains (with SQLite some wait in the intake log for a while),
        // and the statistics consumer must have caught up, so that neither competes with the first drain.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (_store.JournalEnd() < _backlogStart + count && DateTime.UtcNow < deadline) await Task.Delay(200);
        while (_store.OtherConsumersAt() < _store.JournalEnd() && DateTime.UtcNow < deadline) await Task.Delay(200);
    }

    /// <summary>
    /// Starts a server whose only webhook is <paramref name="webhookId"/>, with the backlog of opens before it, and waits
    /// until all arrived. With <paramref name="warmUp"/>, that many events go first and the rate and CPU time are
    /// measured over the <paramref name="events"/> after them; otherwise over all but the first tenth.
    /// </summary>
    private async Task<DrainResult> DrainAsync(
        string label, long webhookId, int events, Func<Tally, Task>? during = null, TimeSpan? stall = null, IEnumerable<KeyValuePair<string, string>>? settings = null,
        int? warmUp = null)
    {
        _store.DeliverOnly(webhookId, _backlogStart);
        var tally = receiver.Reset(0, events + (warmUp ?? 0), warmUp);
        var receiverCpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var server = await ServerProcess.StartAsync(databaseFile, Settings(dispatch: true, settings));
        using var stats = new ProcessStats(server.ProcessId);
        var sideTask = during?.Invoke(tally) ?? Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        while (tally.Delivered < tally.WarmUp && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(5)) await Task.Delay(5);
        var cpuWarm = stats.CpuSince();
        var complete = await tally.WaitAllAsync(TimeSpan.FromMinutes(10), stall ?? TimeSpan.FromSeconds(60));
        await sideTask;
        var cpu = stats.CpuSince() - cpuWarm;
        receiverCpu = Process.GetCurrentProcess().TotalProcessorTime - receiverCpu;
        server.Kill();
        var result = new DrainResult(label, complete, tally, cpu, receiverCpu.TotalSeconds, stats.SamplesMiB(), stats.Summary(), stats.AnonSamplesMiB());
        Console.WriteLine(FormattableString.Invariant(
            $"{label}: {tally.Delivered}/{tally.Count} delivered{(complete ? "" : " (INCOMPLETE)")} at {result.Rate:F0}/s (steady; {tally.OverallPerSecond:F0}/s from the first call) over {Tally.Seconds(tally.FirstCall, tally.LastDelivery):F1} s; {tally.Calls} calls ({result.CallsPerSecond:F0}/s), {tally.Failed} failed, {tally.Duplicates} duplicates; server CPU {result.ServerCpuMicrosPerEvent:F0} µs/event, receiver {result.ReceiverCpuSeconds * 1e6 / Math.Max(1, tally.Delivered):F0} µs/event; VmRSS {result.Memory}"));
        return result;
    }

    /// <summary>The plain client's rates: in a process of its own (as the server is) and in the receiver's process.</summary>
    private sealed record Baseline(double OwnProcess, double ClientMicrosPerCall, double ReceiversProcess, double SharedMicrosPerCall);

    private async Task<Baseline> BaselineAsync(List<SignedBody> bodies)
    {
        var tally = receiver.Reset(0, bodies.Count);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await PlainBaseline.RunAsync(new Uri($"http://127.0.0.1:{receiver.Port}/plain"), bodies, receiver.FirstSample!.ContentType, o.Concurrency);
        if (tally.Delivered != bodies.Count) throw new InvalidOperationException($"baseline: {tally.Delivered} of {bodies.Count} arrived");
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var shared = tally.DeliveriesPerSecond;
        var sharedMicros = cpu.TotalMicroseconds / bodies.Count;
        Console.WriteLine(FormattableString.Invariant($"plain HttpClient in the receiver's process: {shared:F0}/s; client and receiver CPU {sharedMicros:F0} µs/call"));
        var (own, clientMicros) = await PlainClientProcess.RunAsync(receiver, bodies, receiver.FirstSample!.ContentType, o.Concurrency, () => receiver.Reset(0, bodies.Count));
        Console.WriteLine(FormattableString.Invariant($"plain HttpClient in its own process: {own:F0}/s; client CPU {clientMicros:F0} µs/call"));
        return new Baseline(own, clientMicros, shared, sharedMicros);
    }

    /// <summary>
    /// The most the whole path carries on this machine. Opens go through the pixel as fast as it accepts them (64
    /// connections) with dispatch on, first a warm-up (the fresh server's JIT start-up), then <c>--capacity-events</c>,
    /// until every one has arrived at the receiver. The CPU time of the server and of this process (receiver and load
    /// generator) for those opens, per open, is what one open costs from the pixel to the receiver; the cores divided by
    /// it is the end-to-end maximum, the counterpart of the drain's maximum (which is the engine and the receiver alone).
    /// The intake log makes journal rows at once here (<c>Events:IntakeIdleCpuThreshold=0</c>): by default it keeps them
    /// back while the machine is busy, so that the pixel keeps its speed, and nothing would be delivered while opens
    /// keep coming. Also reported: the rates accepted and delivered while the opens were coming.
    /// </summary>
    private async Task<(bool Complete, double Rate)> CapacityAsync()
    {
        const int first = 20_000_000;
        var count = o.CapacityEvents;
        var warm = count / 3;
        _store.DeliverOnly(_v1, _store.JournalEnd());
        using var server = await ServerProcess.StartAsync(databaseFile, Settings(dispatch: true, [new("Events:IntakeIdleCpuThreshold", "0")]));
        using var stats = new ProcessStats(server.ProcessId);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the dispatcher starts the webhook's runner

        var warmTally = receiver.Reset(first + count, warm, 0);
        await OpenDriver.RunAsync(server.BaseAddress, _paths, first + count, warm, 64, null, null);
        var warmComplete = await warmTally.WaitAllAsync(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(60));

        var tally = receiver.Reset(first, count, 0);
        var accepted = new long[count];
        var serverCpu = stats.CpuSince();
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var (seconds, _) = await OpenDriver.RunAsync(server.BaseAddress, _paths, first, count, 64, null, accepted);
        var ended = Stopwatch.GetTimestamp();
        var behind = count - tally.Delivered;
        var complete = await tally.WaitAllAsync(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(60));
        serverCpu = stats.CpuSince() - serverCpu;
        var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds;
        server.Kill();

        var window = Tally.Seconds(started, ended);
        var acceptedRate = count / window;
        var deliveredRate = Enumerable.Range(0, count).Count(i => tally.DeliveredAt(first + i) is var at && at >= started && at <= ended) / window;
        var micros = (serverCpu + benchCpu) * 1e6 / count;
        var rate = Environment.ProcessorCount * 1e6 / micros;
        Console.WriteLine(FormattableString.Invariant(
            $"capacity: {count} opens in {seconds:F1} s ({acceptedRate:F0}/s accepted, {deliveredRate:F0}/s delivered meanwhile, {behind} behind when the sending ended); {tally.Delivered}/{count} delivered, {tally.Duplicates} duplicates; CPU per open: server {serverCpu * 1e6 / count:F0} µs, receiver and load generator {benchCpu * 1e6 / count:F0} µs; end-to-end maximum {rate:F0}/s"));
        Add("End-to-end maximum: the cores / the CPU time of one open from the pixel to the receiver", FormattableString.Invariant(
            $"**{rate:F0}/s** ({micros:F0} µs per open: server {serverCpu * 1e6 / count:F0}, receiver and load generator {benchCpu * 1e6 / count:F0}; opens sent as fast as accepted: {acceptedRate:F0}/s accepted, {deliveredRate:F0}/s delivered meanwhile, {tally.Delivered}/{count} delivered in the end)"));
        return (complete && warmComplete, rate);
    }

    /// <summary>Opens at a steady rate with dispatch on: from each open's 200 to its POST at the receiver.</summary>
    private async Task<bool> LatencyAsync(double rate, string basis)
    {
        var first = Math.Max(o.WarmUp + o.Events, o.FaultEvents);
        var count = (int)(rate * o.LatencySeconds);
        var warmCount = (int)(rate * o.LatencyWarmUpSeconds);
        _store.DeliverOnly(_v1, _store.JournalEnd());
        // The warm-up opens are numbered after the measured ones, so one tally sees both.
        var tally = receiver.Reset(first, count + warmCount, 0);
        var accepted = new long[count];
        using (var server = await ServerProcess.StartAsync(databaseFile, Settings(dispatch: true)))
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the dispatcher starts the webhook's runner
            // The same load first, unmeasured (numbered after the measured opens), while the fresh server compiles its hot code.
            if (warmCount > 0)
            {
                await OpenDriver.RunAsync(server.BaseAddress, _paths, first + count, warmCount, 64, rate, null);
                // The measurement starts from a caught-up engine: what the warm-up left queued is delivered first.
                var caughtUp = Stopwatch.StartNew();
                while (tally.Delivered < warmCount && caughtUp.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(10);
                Console.WriteLine(FormattableString.Invariant($"warm-up: {warmCount} opens at {rate:F0}/s, all delivered {caughtUp.Elapsed.TotalMilliseconds:F0} ms after the last was accepted"));
            }

            var (seconds, _) = await OpenDriver.RunAsync(server.BaseAddress, _paths, first, count, 64, rate, accepted);
            var complete = await tally.WaitAllAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));
            server.Kill();
            var latencies = Enumerable.Range(0, count).Where(i => tally.DeliveredAt(first + i) > 0)
                .Select(i => (tally.DeliveredAt(first + i) - accepted[i]) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            double P(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
            // The slowest delivery per second of the run (by acceptance time): a single stall and a backlog that grows look different.
            var perSecond = Enumerable.Range(0, count).Where(i => tally.DeliveredAt(first + i) > 0 && accepted[i] > 0)
                .GroupBy(i => (int)((accepted[i] - accepted[0]) / Stopwatch.Frequency))
                .OrderBy(g => g.Key).Select(g => g.Max(i => (tally.DeliveredAt(first + i) - accepted[i]) * 1000.0 / Stopwatch.Frequency));
            Console.WriteLine("slowest delivery per second (ms): " + string.Join(' ', perSecond.Select(m => m.ToString("F0", CultureInfo.InvariantCulture))));
            Console.WriteLine(FormattableString.Invariant(
                $"latency at {rate:F0}/s offered ({count / seconds:F0}/s achieved): {latencies.Length}/{count} delivered, p50 {P(0.5):F1} ms, p99 {P(0.99):F1} ms, max {latencies.LastOrDefault():F1} ms"));
            Add($"Latency open accepted → POST received at {basis}: {rate:F0}/s offered, {count / seconds:F0}/s accepted (target p99 < 250 ms)", FormattableString.Invariant(
                $"p50 **{P(0.5):F1} ms**, p99 **{P(0.99):F1} ms** (max {latencies.LastOrDefault():F1} ms, {latencies.Length}/{count} delivered) {(P(0.99) < 250 ? "met" : "missed")}"));
            return complete;
        }
    }

    /// <summary>
    /// Retries after 1–2 s instead of 5–10 s (doubling up to 5 s), so that the few events that fail three or four times
    /// in a row (every 10th call fails, whichever event it carries) arrive within the run rather than minutes later.
    /// </summary>
    private static readonly KeyValuePair<string, string>[] ShortRetries =
    [
        new("Webhooks:Dispatch:FirstRetryDelay", "00:00:02"),
        new("Webhooks:Dispatch:MaxRetryDelay", "00:00:05"),
    ];

    private async Task<bool> FailingReceiverAsync()
    {
        receiver.FailEvery = 10;
        try
        {
            var d = await DrainAsync("500 to every 10th call", _v1, o.FaultEvents, settings: ShortRetries);
            Add("Receiver answers 500 to every 10th call", FormattableString.Invariant(
                $"{d.Tally.Delivered}/{d.Tally.Count} delivered ({(d.Complete ? "nothing lost" : "INCOMPLETE")}) in {Tally.Seconds(d.Tally.FirstCall, d.Tally.LastDelivery):F1} s = {d.Rate:F0}/s; {d.CallsPerSecond:F0} calls/s, {d.Tally.Failed} answered 500, {d.Tally.Duplicates} duplicates; VmRSS {d.Memory}"));
            return d.Complete;
        }
        finally
        {
            receiver.FailEvery = 0;
        }
    }

    /// <summary>The receiver goes down a tenth of the way into the drain, stays down, comes back: the backlog must drain fully and fast.</summary>
    private async Task<bool> OutageAsync()
    {
        var outage = TimeSpan.FromSeconds(o.OutageSeconds);
        long back = 0;
        var d = await DrainAsync($"receiver down {o.OutageSeconds} s", _v1, o.FaultEvents, async tally =>
        {
            while (tally.Delivered < tally.Count / 10) await Task.Delay(10);
            await receiver.StopListeningAsync();
            Console.WriteLine($"receiver down after {tally.Delivered} events");
            await Task.Delay(outage);
            tally.Mark();
            await receiver.StartListeningAsync();
            back = Stopwatch.GetTimestamp();
            Console.WriteLine($"receiver back ({tally.Delivered} delivered)");
        }, stall: outage + TimeSpan.FromSeconds(90));
        var t = d.Tally;
        var resumed = t.FirstDeliveryAfterMark;
        var afterRate = (t.Count - t.DeliveredAtMark) / Tally.Seconds(resumed, t.LastDelivery);
        var timeline = string.Join(" ", d.MemoryMiB.Where((_, i) => i % 10 == 0));
        Console.WriteLine($"VmRSS every 10 s (MiB): {timeline}");
        Add($"Receiver down {o.OutageSeconds} s, then back", FormattableString.Invariant(
            $"{t.Delivered}/{t.Count} delivered ({(d.Complete ? "nothing lost" : "INCOMPLETE")}), {t.Duplicates} duplicates; first delivery {Tally.Seconds(back, resumed):F1} s after it was back; then {afterRate:F0}/s for the {t.Count - t.DeliveredAtMark} left; VmRSS {d.Memory}, every 10 s: {timeline} MiB"));
        return d.Complete;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
