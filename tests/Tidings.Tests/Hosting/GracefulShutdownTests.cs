using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;

namespace Tidings.Tests.Hosting;

/// <summary>
/// SIGTERM, as systemd and docker stop the server, while opens and clicks come in and webhook calls are in flight: the
/// process exits 0 within <c>Server:ShutdownTimeout</c>, every acknowledged event is journaled, every journaled open
/// reaches the receiver after a restart, never under a second delivery id; a request after the stop is refused.
/// </summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it stops a real server process, not a store.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "shutdown-" + Guid.NewGuid().ToString("N"));

    public GracefulShutdownTests() => Directory.CreateDirectory(_directory);

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    private static readonly KeyValuePair<string, string>[] Settings =
    [
        new("Server:ShutdownTimeout", "00:00:20"),
        // Calls in flight get a second: the receiver's slow answers outlast it and are handed back.
        new("Webhooks:Dispatch:ShutdownGrace", "00:00:01"),
        new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
        new("Webhooks:Delivery:Hosts:" + DeliveryApp.ReceiverHost, "127.0.0.1"),
        new("Webhooks:Dispatch:RefreshInterval", "00:00:00.200"),
        new("Webhooks:Dispatch:FirstRetryDelay", "00:00:00.300"),
        new("Webhooks:Dispatch:MaxRetryDelay", "00:00:01"),
        new("Events:IntakeMaxDeferral", "00:00:00"),
    ];

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Sigterm_under_load_loses_no_acknowledged_event_and_hands_back_calls_in_flight_under_their_own_id()
    {
        var database = Path.Combine(_directory, "tidings.db");
        await using var receiver = await Receiver.StartAsync();
        // Most calls are answered quickly; every fourth is never answered (recorded with status 0), so calls are in
        // flight at the stop, outlast the shutdown grace and must be sent again after the restart.
        receiver.Answer = n =>
        {
            if (n % 4 == 0) return 0;
            Thread.Sleep(100);
            return 200;
        };

        var acknowledgedOpens = new ConcurrentDictionary<long, int>();
        var acknowledgedClicks = new ConcurrentDictionary<long, int>();
        IReadOnlyList<TestDestination> destinations;
        IReadOnlyCollection<string> output;
        using (var server = await ServerProcess.StartAsync(database, Settings, ct: Ct))
        {
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var setup = new HttpClient { BaseAddress = server.BaseAddress };
            var client = new ApiClient(setup, token, 1);
            await ValidateTestDomainAsync(database);
            destinations = (await MailingScenario.CreateAsync(client, profiles: 20)).Destinations;
            var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "open", signing = "standard", max_concurrency = 4 });
            await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16 };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using var stop = new CancellationTokenSource();
            var sent = 0;
            async Task LoadAsync(int worker)
            {
                for (var i = worker; !stop.IsCancellationRequested; i += 16)
                {
                    var d = destinations[i % destinations.Count];
                    var click = i % 3 == 0;
                    try
                    {
                        using var response = await http.GetAsync(click ? d.ClickUrls[0] : d.OpenUrl, stop.Token);
                        Interlocked.Increment(ref sent);
                        // A click answers with a redirect, an open with the pixel: both acknowledge the event.
                        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect)
                        {
                            (click ? acknowledgedClicks : acknowledgedOpens).AddOrUpdate(d.Id, 1, (_, n) => n + 1);
                        }
                    }
                    catch (HttpRequestException) { }
                    catch (OperationCanceledException) { }

                    // Paced, so that what the slow receiver is to get stays deliverable after the restart.
                    try { await Task.Delay(50, stop.Token); }
                    catch (OperationCanceledException) { }
                }
            }

            var load = Enumerable.Range(0, 16).Select(w => Task.Run(() => LoadAsync(w), Ct)).ToArray();
            // SIGTERM once the load is under way and slow calls are in flight.
            await receiver.WaitAsync(c => c.Count >= 12 && Volatile.Read(ref sent) >= 200, seconds: 60);
            var watch = Stopwatch.StartNew();
            await server.StopAsync(ShutdownTimeout + TimeSpan.FromSeconds(10));
            watch.Elapsed.ShouldBeLessThan(ShutdownTimeout, "the process must exit within Server:ShutdownTimeout");
            await stop.CancelAsync();
            await Task.WhenAll(load);
            server.ExitCode.ShouldBe(0, string.Join('\n', server.Output));
            output = server.Output;
        }

        // Each phase was logged, in order: requests, webhook calls, the ledger, the journal writer, the intake log.
        var lines = output.ToList();
        int Phase(int id) => lines.FindIndex(l => l.Contains($"[{id}]", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', lines.Skip(Math.Max(0, Phase(19400)))));
        int[] phases = [19400, 19401, 14900, 14903, 3500, 3501, 19402];
        foreach (var id in phases) Phase(id).ShouldBeGreaterThanOrEqualTo(0, $"event {id} was not logged:\n" + string.Join('\n', lines.TakeLast(60)));
        phases.Select(Phase).ShouldBeInOrder(SortDirection.Ascending, string.Join('\n', lines.TakeLast(60)));
        (Phase(14901) >= 0 || Phase(14902) >= 0).ShouldBeTrue();

        var beforeRestart = receiver.Calls.Count;
        receiver.Answer = _ => 200;
        using (await ServerProcess.StartAsync(database, Settings, ct: Ct))
        {
            // Every acknowledged open and click is in the journal (from the intake log, right after the start).
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(Ct);
            Dictionary<(string Type, long Destination), long> journaled = [];
            var waited = Stopwatch.StartNew();
            bool AllJournaled() =>
                acknowledgedOpens.All(a => journaled.GetValueOrDefault(("open", a.Key)) >= a.Value) &&
                acknowledgedClicks.All(a => journaled.GetValueOrDefault(("click", a.Key)) >= a.Value);
            do
            {
                journaled = (await connection.QueryAsync<(string Type, long Destination, long Count)>(
                    "SELECT type, destination_id, COUNT(*) FROM journal WHERE type IN ('open', 'click') GROUP BY type, destination_id"))
                    .ToDictionary(r => (r.Type, r.Destination), r => r.Count);
                if (AllJournaled()) break;
                await Task.Delay(100, Ct);
            }
            while (waited.Elapsed < TimeSpan.FromSeconds(30));
            AllJournaled().ShouldBeTrue("every acknowledged open and click must be journaled");

            // Every journaled open reaches the receiver, under its own event id and no other.
            var opens = (await connection.QueryAsync<string>("SELECT event_id FROM journal WHERE type = 'open'")).ToHashSet();
            opens.Count.ShouldBeGreaterThan(0);
            var calls = await receiver.WaitAsync(c => opens.All(c.Where(x => x.AnsweredStatus == 200).Select(x => x.Header("webhook-id")).ToHashSet().Contains), seconds: 120);
            var ids = calls.Select(c => c.Header("webhook-id")!).ToHashSet();
            ids.Except(opens).ShouldBeEmpty("every delivery id is a journaled event's own id");
            foreach (var group in calls.GroupBy(c => c.Header("webhook-id")))
            {
                group.Select(c => c.Text).Distinct().Count().ShouldBe(1, $"{group.Key}: a repeated delivery carries the same event");
            }

            beforeRestart.ShouldBeLessThan(calls.Count, "some deliveries must have been left for the restart");
            var cutOff = calls.Take(beforeRestart).Where(c => c.AnsweredStatus == 0).Select(c => c.Header("webhook-id")).ToList();
            cutOff.ShouldNotBeEmpty("calls must have been in flight at the stop");
            cutOff.ShouldAllBe(id => calls.Skip(beforeRestart).Any(c => c.AnsweredStatus == 200 && c.Header("webhook-id") == id), "a call cut off at the stop is sent again, under its own id");
        }
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task An_open_after_sigterm_is_refused_not_half_acknowledged()
    {
        var database = Path.Combine(_directory, "tidings.db");
        await using var receiver = await Receiver.StartAsync();
        // The receiver never answers: the stop waits out the webhook grace, which keeps the process alive after it
        // stopped taking requests.
        receiver.Answer = _ => 0;
        TestDestination destination;
        using (var server = await ServerProcess.StartAsync(database, [.. Settings.Where(s => s.Key != "Webhooks:Dispatch:ShutdownGrace"), new("Webhooks:Dispatch:ShutdownGrace", "00:00:05")], ct: Ct))
        {
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var setup = new HttpClient { BaseAddress = server.BaseAddress };
            var client = new ApiClient(setup, token, 1);
            await ValidateTestDomainAsync(database);
            destination = (await MailingScenario.CreateAsync(client, profiles: 2)).Destinations[0];
            var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "open", signing = "standard" });
            await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
            (await setup.GetAsync(destination.OpenUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await receiver.WaitAsync(c => c.Count >= 1);

            // A connection made before the stop, idle, and one made after it.
            using var early = new TcpClient();
            await early.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
            var stopping = server.StopAsync(ShutdownTimeout + TimeSpan.FromSeconds(10));
            await server.WaitForOutputAsync(l => l.Contains("[19401]", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

            var request = Encoding.ASCII.GetBytes($"GET {destination.OpenUrl} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nConnection: close\r\n\r\n");
            (await AnswerOnAsync(early, request)).ShouldNotStartWith("HTTP/1.1 200", customMessage: "an idle connection from before the stop takes no request");
            using var late = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            await Should.ThrowAsync<HttpRequestException>(() => late.GetAsync(destination.OpenUrl, Ct));

            await stopping;
            server.ExitCode.ShouldBe(0);
        }

        using (await ServerProcess.StartAsync(database, Settings, ct: Ct))
        {
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(Ct);
            // The one acknowledged open, and not the refused ones (the intake log is taken up at the start).
            await WaitForAsync(async () => await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal WHERE type = 'open'") >= 1);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal WHERE type = 'open' AND destination_id = @Id", new { destination.Id })).ShouldBe(1);
        }
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_stop_held_up_by_a_request_past_the_bound_is_cut_short_and_says_so()
    {
        var database = Path.Combine(_directory, "tidings.db");
        using var server = await ServerProcess.StartAsync(database, [new("Server:ShutdownTimeout", "00:00:02"), new("Webhooks:Dispatch:ShutdownGrace", "00:00:01")], ct: Ct);

        // A SOAP call whose body never ends: the request is under way for as long as the stop lets it be.
        using var slow = new TcpClient();
        await slow.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
        await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<a>"), Ct);
        await slow.GetStream().FlushAsync(Ct);

        var watch = Stopwatch.StartNew();
        await server.StopAsync(TimeSpan.FromSeconds(30));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        var output = string.Join('\n', server.Output);
        server.ExitCode.ShouldBe(1, output);
        output.ShouldContain("[19403]");
        output.ShouldContain("Tidings did not stop in order");
        output.ShouldNotContain("did not start");
    }

    /// <summary>Sends a request on a connection and reads what comes back: empty when it is closed without an answer.</summary>
    private static async Task<string> AnswerOnAsync(TcpClient tcp, byte[] request)
    {
        try
        {
            var stream = tcp.GetStream();
            await stream.WriteAsync(request, Ct);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition was not met in 30 s");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task ValidateTestDomainAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=30");
        await connection.OpenAsync(Ct);
        await connection.ExecuteAsync(DeliveryApp.ValidatedDomainSql, new { accountId = 1L, domain = DeliveryApp.Domain });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
