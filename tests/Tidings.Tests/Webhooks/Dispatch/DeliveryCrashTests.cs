using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// SIGKILL of the server while it delivers: after a restart every event reaches the receiver at least once, and every
/// duplicate carries the same <c>webhook-id</c> (the cursor only passes events whose outcome was committed).
/// </summary>
public sealed class DeliveryCrashTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "delivery-crash-" + Guid.NewGuid().ToString("N"));

    public DeliveryCrashTests() => Directory.CreateDirectory(_directory);

    private static readonly KeyValuePair<string, string>[] Settings =
    [
        new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
        new("Webhooks:Delivery:Hosts:" + DeliveryApp.ReceiverHost, "127.0.0.1"),
        new("Webhooks:Dispatch:RefreshInterval", "00:00:00.200"),
        new("Webhooks:Dispatch:FirstRetryDelay", "00:00:00.300"),
        new("Webhooks:Dispatch:MaxRetryDelay", "00:00:01"),
    ];

    [Fact]
    public async Task Every_event_arrives_at_least_once_after_a_kill_in_the_middle_of_delivering()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(_directory, "tidings.db");
        await using var receiver = await Receiver.StartAsync();
        // Calls wait until every event has been created, then take their time, so the kill comes mid-delivery.
        using var open = new ManualResetEventSlim(false);
        receiver.Answer = _ =>
        {
            open.Wait(TimeSpan.FromSeconds(60));
            Thread.Sleep(50);
            return 200;
        };
        var profiles = new List<long>();
        string token;
        using (var server = await ServerProcess.StartAsync(database, Settings, ct: ct))
        {
            token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var client = new ApiClient(http, token, 1);
            await ValidateTestDomainAsync(database);
            var db = await client.CreateDatabaseAsync("People", ("email", "email"));
            var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database = db, signing = "standard", max_concurrency = 2 });
            await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
            for (var i = 0; i < 40; i++) profiles.Add(await client.CreateProfileAsync(db, new { email = $"p{i}@example.com" }));
            open.Set();

            await receiver.WaitAsync(c => c.Count >= 5, seconds: 30);
            server.Kill();
        }

        var beforeRestart = receiver.Calls.Count;
        beforeRestart.ShouldBeLessThan(40, "the kill must come before everything was delivered");
        using (await ServerProcess.StartAsync(database, Settings, ct: ct))
        {
            var calls = await receiver.WaitAsync(c => profiles.All(p => c.Any(x => x.Form["id"] == p.ToString(System.Globalization.CultureInfo.InvariantCulture))), seconds: 60);
            foreach (var group in calls.GroupBy(c => c.Form["id"]))
            {
                group.Select(c => c.Header("webhook-id")).Distinct().Count().ShouldBe(1, $"profile {group.Key}: duplicates must carry the same webhook-id");
            }
        }
    }

    private static async Task ValidateTestDomainAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=30");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DeliveryApp.ValidatedDomainSql;
        command.Parameters.AddWithValue("@accountId", 1L);
        command.Parameters.AddWithValue("@domain", DeliveryApp.Domain);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
