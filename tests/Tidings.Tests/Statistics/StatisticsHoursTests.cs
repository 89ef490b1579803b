using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Statistics;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Statistics;

/// <summary>
/// The hourly aggregates the statistics consumer keeps beside its counters: per UTC hour and journal type, with the
/// counters' uniques, counted exactly once (same transaction as the cursor) across batches and restarts.
/// </summary>
public sealed class StatisticsHoursTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const long Hour = 3_600_000;

    /// <summary>2026-03-10 09:00:00 UTC, the start of the hour of <see cref="StatisticsEvents.Day1"/>.</summary>
    private static readonly long Hour1 = StatisticsEvents.Day1;

    [Fact]
    public async Task Events_are_summed_per_UTC_hour_and_type_with_their_destinations_first_of_a_metric_as_unique()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
        var (d0, d1) = (scenario.Destinations[0], scenario.Destinations[1]);
        var events = new StatisticsEvents(app, client);
        await events.OpenAsync(d0, Hour1 + 1000);
        await events.OpenAsync(d0, Hour1 + 59 * 60_000);
        await events.OpenAsync(d1, Hour1 + Hour + 5);
        await events.OpenAsync(d0, Hour1 + Hour + 6);
        await events.ClickAsync(d0, Hour1 + Hour + 7);
        await events.FailureAsync(d1, Hour1 + 2 * Hour);
        await events.CountedAsync();

        var hours = await app.Services.GetRequiredService<StatisticsService>().MailingHoursAsync(client.AccountId, scenario.MailingId.ToString(), null, Ct);

        hours.Hours.Where(h => h.Type != "attempt").OrderBy(h => h.Hour).ThenBy(h => h.Type).ShouldBe([
            new HourCount(Hour1, "open", 2, 1),
            new HourCount(Hour1 + Hour, "click", 1, 1),
            new HourCount(Hour1 + Hour, "open", 2, 1),
            new HourCount(Hour1 + 2 * Hour, "failure", 1, 1),
        ]);
        hours.Hours.Where(h => h.Type == "attempt").Sum(h => h.Total).ShouldBe(2, "each destination's mail attempt (sent)");

        var windowed = await app.Services.GetRequiredService<StatisticsService>().MailingHoursAsync(client.AccountId, scenario.MailingId.ToString(), Hour1 + Hour + 30 * 60_000, Ct);
        windowed.Hours.Where(h => h.Type != "attempt").Select(h => h.Hour).Distinct().ShouldBe([Hour1 + Hour, Hour1 + 2 * Hour], "a window starts at the hour its start is in");
    }

    [Fact]
    public async Task Another_accounts_mailing_is_not_found_and_the_account_hours_hold_only_the_accounts_events()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var other = await app.NewAccountAsync();
        var events = new StatisticsEvents(app, client);
        await events.OpenAsync(scenario.Destinations[0], Hour1 + 10);
        await events.CountedAsync();
        var service = app.Services.GetRequiredService<StatisticsService>();

        await Should.ThrowAsync<Tidings.Rejections.RequestRejectedException>(() => service.MailingHoursAsync(other.AccountId, scenario.MailingId.ToString(), null, Ct));
        (await service.AccountHoursAsync(other.AccountId, null, Ct)).ShouldBeEmpty();
        (await service.AccountHoursAsync(client.AccountId, Hour1, Ct)).Where(h => h.Hour < Hour1 + Hour).ShouldBe([new HourCount(Hour1, "open", 1, 1)]);
    }

    [Fact]
    public async Task A_restart_neither_loses_nor_double_counts_an_hour()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "tidings.db");
        try
        {
            long mailingId, accountId;
            string token;
            IReadOnlyList<TestDestination> destinations;
            await using (var first = new FixedPathTidingsApp(path))
            {
                await first.InitializeAsync();
                var client = await first.NewAccountAsync();
                var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
                (mailingId, token, accountId, destinations) = (scenario.MailingId, client.Token, client.AccountId, scenario.Destinations);
                var events = new StatisticsEvents(first, client);
                await events.OpenAsync(destinations[0], Hour1);
                await events.CountedAsync();

                // Appended just before the host stops: counted now or by the next host, but only once.
                await events.OpenAsync(destinations[1], Hour1 + 2000);
                await events.ClickAsync(destinations[1], Hour1 + 3000);
            }

            await using (var second = new FixedPathTidingsApp(path))
            {
                await second.InitializeAsync();
                var client = new ApiClient(second.CreateClient(), token, accountId);
                var events = new StatisticsEvents(second, client);
                await events.OpenAsync(destinations[0], Hour1 + 4000);
                await events.CountedAsync();

                var hours = await second.Services.GetRequiredService<StatisticsService>().MailingHoursAsync(accountId, mailingId.ToString(), Hour1, Ct);
                hours.Hours.Where(h => h.Type != "attempt").ShouldBe([new HourCount(Hour1, "click", 1, 1), new HourCount(Hour1, "open", 3, 2)]);
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task The_migrations_backfill_computes_from_the_journal_what_the_consumer_counted()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 3);
        var (d0, d1, d2) = (scenario.Destinations[0], scenario.Destinations[1], scenario.Destinations[2]);
        var events = new StatisticsEvents(app, client);
        await events.OpenAsync(d0, Hour1);
        await events.OpenAsync(d0, Hour1 + Hour);
        await events.OpenAsync(d1, Hour1 + Hour + 1);
        await events.ClickAsync(d1, Hour1 + Hour + 2);
        await events.FailureAsync(d2, Hour1 + 3 * Hour);
        await events.RetryAsync(d2, Hour1 + 3 * Hour + 1);
        await events.DeliveryAsync(d0, Hour1 - Hour);
        await events.CountedAsync();
        var storage = app.Services.GetRequiredService<IStorage>();
        var provider = storage.Dialect is PostgresDialect ? "postgres" : "sqlite";
        var migration = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "Tidings", "Storage", "Migrations", provider, "0016_statistics_hours.sql"), Ct);
        var backfill = migration[migration.IndexOf("INSERT INTO statistics_hours", StringComparison.Ordinal)..].Replace("INSERT INTO statistics_hours", "INSERT INTO backfill", StringComparison.Ordinal);

        var (kept, computed) = await storage.WriteAsync(async w =>
        {
            await w.Connection.ExecuteAsync(
                "CREATE TEMP TABLE backfill (account_id BIGINT, mailing_id BIGINT, hour BIGINT, type TEXT, total BIGINT, unique_count BIGINT)", transaction: w.Transaction);
            await w.Connection.ExecuteAsync(backfill, transaction: w.Transaction);
            const string select = "SELECT mailing_id, hour, type, total, unique_count FROM {0} WHERE account_id = @account ORDER BY mailing_id, hour, type";
            var kept = (await w.Connection.QueryAsync<(long, long, string, long, long)>(string.Format(select, "statistics_hours"), new { account = client.AccountId }, w.Transaction)).ToList();
            var computed = (await w.Connection.QueryAsync<(long, long, string, long, long)>(string.Format(select, "backfill"), new { account = client.AccountId }, w.Transaction)).ToList();
            await w.Connection.ExecuteAsync("DROP TABLE backfill", transaction: w.Transaction);
            return (kept, computed);
        }, Ct);

        kept.Count.ShouldBeGreaterThan(6);
        computed.ShouldBe(kept);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tidings.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("The repository root (Tidings.slnx) was not found");
    }
}
