using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tidings.Events.Intake;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Events;

/// <summary>
/// Tracked events acknowledged from the intake log: while the machine is busy they wait there (within the configured
/// limits), and whatever is left when the server stops becomes journal rows, once each, at the next start.
/// </summary>
public sealed class JournalIntakeTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "intake-app-" + Guid.NewGuid().ToString("N"));

    /// <summary>A SQLite server at a fixed path whose intake log defers as told (threshold 1: the machine always counts as busy).</summary>
    private sealed class IntakeApp(string sqlitePath, Dictionary<string, string?> settings) : TidingsApp
    {
        protected override bool FollowsSuiteProvider => false;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(settings)
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = sqlitePath,
        };
    }

    private string Database => Path.Combine(_directory, "tidings.db");

    private static Dictionary<string, string?> Deferring(string maxDeferral, string maxBytes = "536870912") => new()
    {
        ["Events:IntakeIdleCpuThreshold"] = "1",
        ["Events:IntakeMaxDeferral"] = maxDeferral,
        ["Events:IntakeMaxDeferredBytes"] = maxBytes,
    };

    private static async Task<long> OpensAsync(TidingsApp app, long accountId)
    {
        await using var c = await app.Services.GetRequiredService<IStorage>().OpenReadAsync(Ct);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal WHERE account_id = @accountId AND type = 'open'", new { accountId });
    }

    private static async Task OpenAllAsync(ApiClient client, MailingScenario scenario, int opens)
    {
        for (var i = 0; i < opens; i++)
        {
            (await client.Http.GetAsync(scenario.Destinations[i % scenario.Destinations.Count].OpenUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Opens_left_in_the_intake_log_at_a_stop_become_journal_rows_exactly_once_at_the_next_start()
    {
        long accountId;
        await using (var first = new IntakeApp(Database, Deferring("01:00:00")))
        {
            await first.InitializeAsync();
            var client = await first.NewAccountAsync();
            accountId = client.AccountId;
            await OpenAllAsync(client, await MailingScenario.CreateAsync(client, profiles: 3), opens: 25);
            first.Services.GetRequiredService<JournalIntake>().BacklogBytes.ShouldBeGreaterThan(0);
            (await OpensAsync(first, accountId)).ShouldBe(0, "acknowledged, and deferred while the machine counts as busy");
        }

        await using var second = new IntakeApp(Database, new() { ["Events:IntakeMaxDeferral"] = "00:00:00" });
        await second.InitializeAsync();
        await second.Services.JournaledAsync(Ct);
        (await OpensAsync(second, accountId)).ShouldBe(25);
        second.Services.GetRequiredService<JournalIntake>().BacklogBytes.ShouldBe(0);

        await using var c = await second.Services.GetRequiredService<IStorage>().OpenReadAsync(Ct);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT event_id) FROM journal WHERE account_id = @accountId AND type = 'open'", new { accountId })).ShouldBe(25);
    }

    [Fact]
    public async Task While_the_machine_is_busy_an_open_waits_in_the_intake_log_until_the_longest_deferral_has_passed()
    {
        await using var app = new IntakeApp(Database, Deferring("00:00:02"));
        await app.InitializeAsync();
        var client = await app.NewAccountAsync();
        await OpenAllAsync(client, await MailingScenario.CreateAsync(client, profiles: 1), opens: 1);
        var acknowledged = Stopwatch.StartNew();

        (await OpensAsync(app, client.AccountId)).ShouldBe(0);
        await app.Services.JournaledAsync(Ct);
        acknowledged.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.5));
        (await OpensAsync(app, client.AccountId)).ShouldBe(1);
    }

    [Fact]
    public async Task A_deferred_backlog_beyond_its_size_limit_is_journaled_at_once()
    {
        await using var app = new IntakeApp(Database, Deferring("01:00:00", maxBytes: "1"));
        await app.InitializeAsync();
        var client = await app.NewAccountAsync();
        await OpenAllAsync(client, await MailingScenario.CreateAsync(client, profiles: 2), opens: 4);

        await app.Services.JournaledAsync(Ct);
        (await OpensAsync(app, client.AccountId)).ShouldBe(4);
    }

    [Fact]
    public void The_intake_log_is_used_with_SQLite_and_refused_when_switched_on_with_PostgreSQL()
    {
        JournalIntake Intake(IntakeLogMode mode, StorageProvider provider) => new(null!,
            Options.Create(new IntakeLogOptions { IntakeLog = mode }), Options.Create(new StorageOptions { Provider = provider }), TimeProvider.System, NullLogger<JournalIntake>.Instance);

        Intake(IntakeLogMode.Auto, StorageProvider.Sqlite).Enabled.ShouldBeTrue();
        Intake(IntakeLogMode.Off, StorageProvider.Sqlite).Enabled.ShouldBeFalse();
        Intake(IntakeLogMode.Auto, StorageProvider.Postgres).Enabled.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => Intake(IntakeLogMode.On, StorageProvider.Postgres)).Message.ShouldContain("Events:IntakeLog");
    }

    [Fact]
    public void A_deferral_limit_above_the_backlog_limit_is_refused_at_start()
    {
        var options = new IntakeLogOptions { IntakeMaxDeferredBytes = 4L << 30, IntakeMaxBacklogBytes = 2L << 30 };
        Should.Throw<InvalidOperationException>(() => new JournalIntake(null!, Options.Create(options), Options.Create(new StorageOptions()), TimeProvider.System, NullLogger<JournalIntake>.Instance))
            .Message.ShouldContain("Events:IntakeMaxDeferredBytes");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
