using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tidings.Events;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Health;

/// <summary>
/// The readiness checks run at most once per <c>Health:CacheDuration</c> (1 s): within it every probe gets the same
/// answer, even after the server's state changed; a second later the change shows. On a fake clock.
/// </summary>
public sealed class ReadinessCacheTests
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it tests the cache, not the store.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task An_answer_is_reused_for_one_second_then_the_checks_run_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = await HealthApp.StartAsync(time: time);
        var http = app.CreateClient();

        var (status, first) = await http.ReadyzAsync();
        status.ShouldBe(HttpStatusCode.OK, first.ToJsonString());
        first["checked_at"]!.GetValue<DateTimeOffset>().ShouldBe(time.GetUtcNow());

        await app.Services.GetRequiredService<JournalWriter>().StopAsync(Ct);
        time.Advance(TimeSpan.FromMilliseconds(999));

        // A storm of probes within the second: all get the first run's answer, still ready.
        var storm = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.ReadyzAsync()));
        storm.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        storm.Select(r => r.Body.ToJsonString()).Distinct().ShouldBe([first.ToJsonString()]);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var (after, second) = await http.ReadyzAsync();

        after.ShouldBe(HttpStatusCode.ServiceUnavailable, second.ToJsonString());
        second.StateOf("journal_writer").ShouldBe("failing");
        second["checked_at"]!.GetValue<DateTimeOffset>().ShouldBe(time.GetUtcNow());
    }
}
