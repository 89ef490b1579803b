using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Events;
using Tidings.Journal;
using Tidings.LogFiles;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Events;

/// <summary>Profile and subprofile change records are deleted after <c>Events:ProfileEventRetention</c>, never before a consumer has passed them.</summary>
public sealed class ProfileEventRetentionTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Old_profile_changes_are_deleted_newer_ones_kept_and_none_that_a_webhook_has_not_passed()
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var old = time.GetUtcNow().AddDays(-40).ToUnixTimeMilliseconds();
        var recent = time.GetUtcNow().AddDays(-29).ToUnixTimeMilliseconds();
        // An enabled webhook's cursor exists before the records do, so no sweep can get at them early.
        var cursor = "webhook:" + Random.Shared.NextInt64(1_000_000_000, 2_000_000_000);
        await storage.WriteAsync(w => w.Connection.ExecuteAsync("INSERT INTO consumer_cursors (name, seq) VALUES (@cursor, 0)", new { cursor }, w.Transaction), Ct);
        var seqs = new List<long>();
        foreach (var (type, occurred) in new[]
                 {
                     ("profile.update", old), ("subprofile.create", old), ("open", old), ("profile.delete", old), ("subprofile.update", recent), ("profile.create", old), ("open", recent),
                 })
        {
            seqs.Add(await InsertAsync(storage, 998, type, occurred));
        }

        // The webhook has passed the first three records only (the statistics consumer holds its last record: the
        // recent open at the end).
        await SetCursorAsync(storage, cursor, seqs[3]);
        await app.Services.GetRequiredService<Tidings.Statistics.StatisticsConsumer>().CatchUpAsync(Ct);
        var retention = Sweeper(time, TimeSpan.FromDays(30));

        await retention.SweepAsync(Ct);
        (await RemainingAsync(storage, 998)).ShouldBe([seqs[2], seqs[3], seqs[4], seqs[5], seqs[6]], "the opens is not a profile change, the rest is at or past the cursor");

        await SetCursorAsync(storage, cursor, seqs[^1] + 1);
        await retention.SweepAsync(Ct);
        (await RemainingAsync(storage, 998)).ShouldBe([seqs[2], seqs[4], seqs[6]], "the record of 29 days ago is kept");

        // A day later it is 30 days old too.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await retention.SweepAsync(Ct);
        (await RemainingAsync(storage, 998)).ShouldBe([seqs[2], seqs[6]]);
        await storage.WriteAsync(w => w.Connection.ExecuteAsync("DELETE FROM consumer_cursors WHERE name = @cursor", new { cursor }, w.Transaction), Ct);
    }

    [Fact]
    public async Task Zero_keeps_profile_changes_for_ever()
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var seq = await InsertAsync(storage, 997, "profile.update", time.GetUtcNow().AddYears(-5).ToUnixTimeMilliseconds());
        await app.Services.GetRequiredService<Tidings.Statistics.StatisticsConsumer>().CatchUpAsync(Ct);

        (await Sweeper(time, TimeSpan.Zero).SweepAsync(Ct)).ShouldBe(0);
        (await RemainingAsync(storage, 997)).ShouldBe([seq]);
    }

    [Theory]
    [InlineData("-1.00:00:00")]
    [InlineData("36501.00:00:00")]
    public void A_retention_out_of_range_is_refused(string value)
    {
        var options = new EventsOptions { ProfileEventRetention = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).ShouldBeFalse();
        results.ShouldContain(r => r.MemberNames.Contains(nameof(EventsOptions.ProfileEventRetention)));
    }

    private ProfileEventRetention Sweeper(FakeTimeProvider time, TimeSpan keep) => new(
        app.Services.GetRequiredService<JournalRetention>(), time, Options.Create(new EventsOptions { ProfileEventRetention = keep }),
        Options.Create(new LogFilesOptions { RetentionBatchSize = 100 }), NullLogger<ProfileEventRetention>.Instance);

    private static Task<long> InsertAsync(IStorage storage, long account, string type, long occurred) => storage.WriteAsync(w => w.Connection.ExecuteScalarAsync<long>(
        "INSERT INTO journal (event_id, account_id, type, occurred, payload) VALUES (@id, @account, @type, @occurred, '{}') RETURNING seq",
        new { id = Guid.NewGuid().ToString("N"), account, type, occurred }, w.Transaction), Ct);

    private static Task SetCursorAsync(IStorage storage, string cursor, long seq) => storage.WriteAsync(w => w.Connection.ExecuteAsync(
        "UPDATE consumer_cursors SET seq = @seq WHERE name = @cursor", new { seq, cursor }, w.Transaction), Ct);

    private static async Task<List<long>> RemainingAsync(IStorage storage, long account)
    {
        await using var c = await storage.OpenReadAsync(Ct);
        return (await c.QueryAsync<long>("SELECT seq FROM journal WHERE account_id = @account ORDER BY seq", new { account })).ToList();
    }
}
