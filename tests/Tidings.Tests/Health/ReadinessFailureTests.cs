using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Tidings.Events;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Health;

/// <summary>
/// Each condition that makes the server not ready, on a server of its own: <c>/readyz</c> answers 503 naming the
/// failing check (200 before), HEAD the same status, and <c>/healthz</c> stays 200, since the process still lives.
/// </summary>
public sealed class ReadinessFailureTests
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it stops a part of the server, the store plays no part.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_database_makes_the_server_not_ready()
    {
        await using var app = await HealthApp.StartAsync();
        var http = app.CreateClient();
        (await http.ReadyzAsync()).Status.ShouldBe(HttpStatusCode.OK);

        await using var restore = await MakeDatabaseUnreachableAsync(app);

        var body = await http.ReadyzUntilAsync(HttpStatusCode.ServiceUnavailable);
        body["status"]!.GetValue<string>().ShouldBe("not_ready");
        body.StateOf("database").ShouldBe("failing");
        body.StateOf("journal_writer").ShouldBe("ok");
        await ShouldStillLiveAsync(http);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_stopped_journal_writer_makes_the_server_not_ready()
    {
        await using var app = await HealthApp.StartAsync();
        var http = app.CreateClient();
        (await http.ReadyzAsync()).Status.ShouldBe(HttpStatusCode.OK);

        await app.Services.GetRequiredService<JournalWriter>().StopAsync(Ct);

        var body = await http.ReadyzUntilAsync(HttpStatusCode.ServiceUnavailable);
        body.StateOf("journal_writer").ShouldBe("failing");
        body.StateOf("database").ShouldBe("ok");
        await ShouldStillLiveAsync(http);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_stopped_webhook_engine_makes_the_server_not_ready()
    {
        await using var app = await HealthApp.StartAsync();
        var http = app.CreateClient();
        (await http.ReadyzAsync()).Status.ShouldBe(HttpStatusCode.OK);

        await app.Services.GetRequiredService<WebhookDispatcher>().StopAsync(Ct);

        var body = await http.ReadyzUntilAsync(HttpStatusCode.ServiceUnavailable);
        body.StateOf("webhook_engine").ShouldBe("failing");
        body.StateOf("journal_writer").ShouldBe("ok");
        await ShouldStillLiveAsync(http);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_webhook_engine_turned_off_by_configuration_is_disabled_and_the_server_ready()
    {
        await using var app = await HealthApp.StartAsync(new Dictionary<string, string?> { ["Webhooks:Dispatch:Enabled"] = "false" });

        var (status, body) = await app.CreateClient().ReadyzAsync();

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body.StateOf("webhook_engine").ShouldBe("disabled");
    }

    /// <summary>Both passes: with PostgreSQL the data folder (lock, master key) is still a local folder to watch.</summary>
    [Theory]
    [InlineData("Health:MinFreeDiskBytes", "9223372036854775807")]
    [InlineData("Health:MinFreeDiskPercent", "100")]
    public async Task A_disk_threshold_above_the_free_space_makes_the_server_not_ready(string setting, string value)
    {
        await using var app = await HealthApp.StartAsync(new Dictionary<string, string?> { [setting] = value });
        var http = app.CreateClient();

        var (status, body) = await http.ReadyzAsync();

        status.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToJsonString());
        body.StateOf("data_disk").ShouldBe("failing");
        body.StateOf("database").ShouldBe("ok");
        if (!app.OnPostgres) body.StateOf("intake_disk").ShouldBe("failing");
        var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/readyz"), Ct);
        head.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await head.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();
        await ShouldStillLiveAsync(http);
    }

    private static async Task ShouldStillLiveAsync(HttpClient http) =>
        (await http.GetAsync("/healthz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>
    /// SQLite: the database file is moved away and a folder put in its place, and idle pooled connections dropped, so
    /// new connections cannot open it. PostgreSQL: the database refuses connections and its sessions are ended.
    /// Disposing puts it back, so the server can stop cleanly.
    /// </summary>
    private static async Task<IAsyncDisposable> MakeDatabaseUnreachableAsync(TidingsApp app)
    {
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (app.OnPostgres)
        {
            var database = new NpgsqlConnectionStringBuilder(storage.PostgresConnectionString).Database!;
            await using (var admin = new NpgsqlConnection(TestDatabases.RequirePostgres()))
            {
                await admin.ExecuteAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
                await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", new { database });
            }

            return new Undo(async () =>
            {
                await using var admin = new NpgsqlConnection(TestDatabases.RequirePostgres());
                await admin.ExecuteAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
            });
        }

        var file = Path.GetFullPath(storage.SqlitePath);
        await using (var connection = (SqliteConnection)await app.Services.GetRequiredService<IStorage>().OpenReadAsync(Ct))
        {
            SqliteConnection.ClearPool(connection);
        }

        File.Move(file, file + ".away");
        Directory.CreateDirectory(file);
        return new Undo(() =>
        {
            Directory.Delete(file);
            File.Move(file + ".away", file);
            return Task.CompletedTask;
        });
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
