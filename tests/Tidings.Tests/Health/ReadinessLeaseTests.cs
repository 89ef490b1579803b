using System.Net;
using Dapper;
using Npgsql;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Health;

/// <summary>
/// On PostgreSQL only one node delivers webhooks (it holds an advisory lock); a node that does not is still ready,
/// since it serves the API and takes events. Here another session holds the lease before the server starts.
/// </summary>
public sealed class ReadinessLeaseTests
{
    private const string OncePerRun = "Pins PostgreSQL itself: runs once, in the SQLite pass.";

    [Fact(Skip = OncePerRun, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_node_without_the_delivery_lease_is_ready()
    {
        var admin = TestDatabases.RequirePostgres();
        var (database, connectionString) = await TestDatabases.CreatePostgresDatabaseAsync(admin);
        try
        {
            await using var leader = new NpgsqlConnection(connectionString);
            await leader.OpenAsync(TestContext.Current.CancellationToken);
            (await leader.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key = WebhookDispatcher.LeaderLockKey })).ShouldBeTrue();

            await using (var app = new StandbyNode(connectionString))
            {
                await app.InitializeAsync();
                var (status, body) = await app.CreateClient().ReadyzAsync();

                status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
                body.StateOf("webhook_engine").ShouldBe("ok");
                (await leader.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()")).ShouldBe(1, "the lease stayed with the other session");
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropPostgresDatabaseAsync(admin, database);
        }
    }

    /// <summary>A second node on an existing PostgreSQL database.</summary>
    private sealed class StandbyNode(string connectionString) : TidingsApp
    {
        protected override bool FollowsSuiteProvider => false;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:PostgresConnectionString"] = connectionString,
            ["Secrets:MasterKeyFile"] = MasterKeyFile,
        };
    }
}
