using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

/// <summary>Every open the server acknowledged (HTTP 200) is in the journal after a SIGKILL and a restart.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public CrashTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Acknowledged_opens_survive_a_kill_of_the_server_in_the_middle_of_a_burst()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(_directory, "tidings.db");
        List<TestDestination> destinations;
        var acknowledged = new Dictionary<long, int>();
        int requestsAfterKill;
        string token;

        using (var server = await ServerProcess.StartAsync(database, ct: ct))
        {
            token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var setup = new HttpClient { BaseAddress = server.BaseAddress };
            destinations = [.. (await MailingScenario.CreateAsync(new ApiClient(setup, token, 1), profiles: 40)).Destinations];

            var counts = new int[destinations.Count];
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 32, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var total = 0;
            var killed = false;
            var afterKill = 0;

            async Task ClientAsync(int worker)
            {
                for (var i = worker; !stop.IsCancellationRequested; i += 32)
                {
                    var index = i % destinations.Count;
                    var wasKilled = Volatile.Read(ref killed);
                    try
                    {
                        using var response = await http.GetAsync(destinations[index].OpenUrl, stop.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref counts[index]);
                            Interlocked.Increment(ref total);
                            if (wasKilled) Interlocked.Increment(ref afterKill);
                        }
                    }
                    catch (HttpRequestException) { }
                    catch (OperationCanceledException) { }
                }
            }

            var clients = Enumerable.Range(0, 32).Select(w => Task.Run(() => ClientAsync(w), ct)).ToArray();
            var watch = Stopwatch.StartNew();
            while (Volatile.Read(ref total) < 300 && watch.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10, ct);
            await Task.Delay(300, ct); // well into the burst: requests in flight, batches being committed
            server.Kill();
            Volatile.Write(ref killed, true);
            await Task.Delay(300, ct);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            total.ShouldBeGreaterThanOrEqualTo(300, "the burst must have been acknowledged in part before the kill");
            for (var i = 0; i < destinations.Count; i++) acknowledged[destinations[i].Id] = counts[i];
            requestsAfterKill = afterKill;
        }

        requestsAfterKill.ShouldBe(0);
        using (var restarted = await ServerProcess.StartAsync(database, ct: ct))
        {
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(ct);
            // Opens acknowledged from the intake log become journal rows right after the start: give them a moment.
            Dictionary<long, long> journaled;
            var waited = Stopwatch.StartNew();
            do
            {
                journaled = (await connection.QueryAsync<(long Destination, long Count)>(
                    "SELECT destination_id, COUNT(*) FROM journal WHERE type = 'open' GROUP BY destination_id")).ToDictionary(r => r.Destination, r => r.Count);
                if (acknowledged.All(a => journaled.GetValueOrDefault(a.Key) >= a.Value)) break;
                await Task.Delay(100, ct);
            }
            while (waited.Elapsed < TimeSpan.FromSeconds(30));

            foreach (var (destination, count) in acknowledged)
            {
                journaled.GetValueOrDefault(destination).ShouldBeGreaterThanOrEqualTo(count, $"destination {destination}: acknowledged opens must all be journaled");
            }

            // And in the log file a customer would download to catch up (today's cdm-impression, local date).
            using var http = new HttpClient { BaseAddress = restarted.BaseAddress };
            var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var log = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"/v3/logfile/cdm-impression.{today}.log/json?access_token={token}", ct))!.AsArray();
            var logged = log.GroupBy(r => r!["id"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
            foreach (var d in destinations)
            {
                logged.GetValueOrDefault(d.MessageId).ShouldBeGreaterThanOrEqualTo(acknowledged[d.Id], $"message {d.MessageId}: acknowledged opens must all be in the log file");
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
