using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Tidings.Bench.Webhooks;
using Tidings.Tests.Infrastructure;

namespace Tidings.Bench.Telemetry;

/// <summary>
/// Alternating runs of the same work under each <see cref="Variant"/>, on one prepared SQLite file. Opens: a fresh
/// server with dispatch off takes a warm-up, then the measured opens at full speed (32 connections) until each is a
/// journal row; CPU per acknowledged open. Deliveries: a fresh server with one webhook whose cursor stands before a
/// backlog of opens delivers them to a local receiver; CPU per delivery after the warm-up. Server CPU is read from
/// /proc (user + system, 10 ms ticks).
/// </summary>
public sealed class TelemetryBench(TelemetryBenchOptions o)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tidings-bench-telemetry-" + Guid.NewGuid().ToString("N")[..8]);
    private string Database => Path.Combine(_folder, "tidings.db");
    private List<string> _paths = [];
    private long _webhook, _backlogStart;
    private string _token = "";
    private int _nextOpen = 10_000_000;

    private sealed record Result(string Variant, string Kind, int Run, double MicrosPerOp);

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(_folder);
        try
        {
            await using var receiver = await Receiver.StartAsync();
            await using var sink = await OtlpSink.StartAsync();
            var variants = o.Variants(sink.Port);
            var store = new BenchStore(Database);
            await PrepareAsync(receiver, store);
            var results = new List<Result>();
            for (var pair = 1; pair <= o.Pairs; pair++)
            {
                // Odd pairs run the variants in order, even pairs in reverse, so a drift of the machine's load
                // over the runs does not favour one variant.
                foreach (var variant in pair % 2 == 1 ? variants : variants.Reverse())
                {
                    results.Add(await OpensAsync(variant, pair, store));
                    results.Add(await DeliveriesAsync(variant, pair, receiver, store));
                }
            }

            Report(results, variants, sink.Requests);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }

    private IEnumerable<KeyValuePair<string, string>> Settings(Variant variant, bool dispatch, int receiverPort) =>
    [
        new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
        new("Webhooks:Delivery:Hosts:" + BenchStore.Host, "127.0.0.1"),
        new("Webhooks:Dispatch:Enabled", dispatch ? "true" : "false"),
        // Journal rows right away, so that an open's whole cost (intake log, then journal row) falls in its run.
        new("Events:IntakeMaxDeferral", "00:00:00"),
        .. variant.Settings,
    ];

    private async Task PrepareAsync(Receiver receiver, BenchStore store)
    {
        using var server = await ServerProcess.StartAsync(Database, Settings(new Variant("prepare", []), dispatch: false, receiver.Port));
        _token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(60));
        store.ValidateDomain();
        using var setup = new BenchSetup(server.BaseAddress, _token);
        _paths = await setup.MailingAsync(o.Destinations);
        _webhook = await setup.WebhookAsync(new Uri($"http://{BenchStore.Host}:{receiver.Port}/hook"), "standard", "json", 16, 100_000);
        _backlogStart = store.JournalEnd();
        var count = o.WarmUp + o.Events;
        var (seconds, _) = await OpenDriver.RunAsync(server.BaseAddress, _paths, 0, count, 32, null, null);
        Console.WriteLine(FormattableString.Invariant($"Prepared: {o.Destinations} destinations, {count} opens as the delivery backlog ({count / seconds:F0}/s)"));
        await WaitAsync(() => store.JournalEnd() >= _backlogStart + count && store.OtherConsumersAt() >= store.JournalEnd(), TimeSpan.FromMinutes(3));
    }

    private async Task<Result> OpensAsync(Variant variant, int run, BenchStore store)
    {
        using var server = await ServerProcess.StartAsync(Database, Settings(variant, dispatch: false, 1));
        await DriveAsync(server, store, o.WarmUp);
        var before = ProcStat.CpuSeconds(server.ProcessId);
        var watch = Stopwatch.StartNew();
        await DriveAsync(server, store, o.Opens);
        var cpu = ProcStat.CpuSeconds(server.ProcessId) - before;
        server.Kill();
        var micros = cpu * 1e6 / o.Opens;
        Console.WriteLine(FormattableString.Invariant($"run {run} {variant.Name,-10} opens:      {o.Opens} in {watch.Elapsed.TotalSeconds:F1} s, server CPU {micros:F1} µs/open"));
        return new Result(variant.Name, "open", run, micros);
    }

    /// <summary>Sends <paramref name="count"/> opens and waits until every one is a journal row.</summary>
    private async Task DriveAsync(ServerProcess server, BenchStore store, int count)
    {
        var end = store.JournalEnd();
        await OpenDriver.RunAsync(server.BaseAddress, _paths, _nextOpen, count, 32, null, null);
        _nextOpen += count;
        await WaitAsync(() => store.JournalEnd() >= end + count, TimeSpan.FromMinutes(2));
    }

    private async Task<Result> DeliveriesAsync(Variant variant, int run, Receiver receiver, BenchStore store)
    {
        // The webhook starts disabled, with its cursor before the backlog; enabled once the server answers, it
        // delivers from there (the cursor stays), so no event goes out while the server starts.
        store.DeliverOnly(_webhook, _backlogStart);
        DisableWebhooks();
        var tally = receiver.Reset(0, o.WarmUp + o.Events, o.WarmUp);
        using var server = await ServerProcess.StartAsync(Database, Settings(variant, dispatch: true, receiver.Port));
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var enable = await http.PostAsync($"/v3/webhook/{_webhook}?access_token={_token}",
                new StringContent("{\"enabled\": true}", System.Text.Encoding.UTF8, "application/json"));
            enable.EnsureSuccessStatusCode();
        }

        await WaitAsync(() => tally.Delivered >= tally.WarmUp, TimeSpan.FromMinutes(3));
        var before = ProcStat.CpuSeconds(server.ProcessId);
        var watch = Stopwatch.StartNew();
        var complete = await tally.WaitAllAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60));
        var cpu = ProcStat.CpuSeconds(server.ProcessId) - before;
        server.Kill();
        if (!complete) throw new InvalidOperationException($"{variant.Name}: {tally.Delivered} of {tally.Count} delivered");
        var delivered = tally.Delivered - tally.WarmUp;
        var micros = cpu * 1e6 / delivered;
        Console.WriteLine(FormattableString.Invariant($"run {run} {variant.Name,-10} deliveries: {delivered} in {watch.Elapsed.TotalSeconds:F1} s, server CPU {micros:F1} µs/delivery"));
        return new Result(variant.Name, "delivery", run, micros);
    }

    private void DisableWebhooks()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE webhooks SET enabled = 0";
        command.ExecuteNonQuery();
    }

    private void Report(List<Result> results, IReadOnlyList<Variant> variants, long otlpRequests)
    {
        Console.WriteLine();
        Console.WriteLine("| Measure | " + string.Join(" | ", variants.Select(v => v.Name)) + " | off-against-off spread | " + string.Join(" | ", variants.Skip(1).Select(v => v.Name + " / off")) + " |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", variants.Count * 2)));
        foreach (var kind in new[] { "open", "delivery" })
        {
            var off = results.Where(r => r.Kind == kind && r.Variant == "off").Select(r => r.MicrosPerOp).ToList();
            var offMedian = Median(off);
            var spread = (off.Max() - off.Min()) / offMedian;
            var medians = variants.Select(v => Median(results.Where(r => r.Kind == kind && r.Variant == v.Name).Select(r => r.MicrosPerOp).ToList())).ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"| server CPU µs per {kind} (median of {off.Count}) | {string.Join(" | ", medians.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))} | {spread:P1} | {string.Join(" | ", medians.Skip(1).Select(m => (m / offMedian).ToString("F3", CultureInfo.InvariantCulture)))} |"));
        }

        if (o.Tracing) Console.WriteLine($"OTLP sink requests: {otlpRequests}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException("condition not met in " + timeout);
            await Task.Delay(50);
        }
    }
}

/// <summary>A stand-in OTLP/HTTP collector on 127.0.0.1: answers every request 200 with an empty body and counts them.</summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private OtlpSink(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<OtlpSink> StartAsync()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var sink = new OtlpSink(app, port);
        app.Run(async http =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref sink._requests);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
