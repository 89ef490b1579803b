using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Profiles;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>
/// <see cref="ProfileService.CreateViewAsync"/> answers the new profile as written instead of reading it back (SOAP's
/// <c>Database_createProfile</c> shows it whole): it must be exactly what a read gives, and journal what a create does.
/// </summary>
public sealed class ProfileCreateViewTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    [Fact]
    public async Task The_profile_a_create_returns_is_the_profile_read_back_normalised_values_and_every_interest_included()
    {
        var accountId = (await app.NewAccountAsync()).AccountId;
        var databases = Get<DatabaseService>();
        var database = await databases.RequireAsync(accountId,
            (await databases.CreateAsync(accountId, new DatabaseChange("Db" + Guid.NewGuid().ToString("N")[..8], null), Ct)).ToString(CultureInfo.InvariantCulture), Ct);
        foreach (var (name, type, value) in new (string, string, string?)[]
        {
            ("Visits", "integer", null), ("Score", "float", null), ("Born", "date", null), ("Seen", "empty_datetime", null),
            ("Size", "select", "S\r\nM\r\nL"), ("Note", "text", null), ("Email", "email", null),
        })
        {
            await Get<FieldService>().CreateAsync(FieldOwner.Of(database), new FieldSpec(name, type, value, null, null, null, null, null, null, null), Ct);
        }

        await Get<InterestService>().CreateAsync(database, new InterestChange("News", null), Ct);
        await Get<InterestService>().CreateAsync(database, new InterestChange("Offers", "Shop"), Ct);
        var profiles = Get<ProfileService>();

        foreach (var interests in new JsonNode?[] { null, new JsonArray("Offers") })
        {
            var created = await profiles.CreateViewAsync(database, new ProfileChange(new JsonObject
            {
                ["visits"] = "12 times", ["SCORE"] = "2.50", ["Born"] = "2024-03-05 10:30:00", ["Seen"] = "", ["Size"] = "m", ["Note"] = true, ["Email"] = " Ed@Example.org ",
            }, interests), "test", Ct);
            var read = await profiles.RequireAsync(accountId, created.Row.Id.ToString(CultureInfo.InvariantCulture), Ct);

            created.Row.Values.ShouldBe(read.Row.Values);
            (created.Row.Id, created.Row.ProfileId, created.Row.Secret, created.Row.Created, created.Row.Modified, created.Row.Removed)
                .ShouldBe((read.Row.Id, read.Row.ProfileId, read.Row.Secret, read.Row.Created, read.Row.Modified, read.Row.Removed));
            created.Table.Fields.All.Select(f => f.Name).ShouldBe(read.Table.Fields.All.Select(f => f.Name));
            created.AllInterests.Select(i => (i.Id, i.Name, i.Group)).ShouldBe(read.AllInterests.Select(i => (i.Id, i.Name, i.Group)));
            created.AllInterests.Count.ShouldBe(2);
            created.Interests.Order().ShouldBe(read.Interests.Order());
            created.Interests.Count.ShouldBe(interests is null ? 0 : 1);
            created.Database.Id.ShouldBe(database.Id);
        }

        // Journalled as any create: no interests named when none were given, though the view lists them all.
        var journal = await app.JournalAsync(accountId);
        var creates = journal.Where(r => r.Payload["action"]?.GetValue<string>() == "create" && r.Payload["entity"]?.GetValue<string>() == "profile").ToList();
        creates.Count.ShouldBe(2);
        creates.Select(r => r.Payload["interests"]!.AsArray().Count).Order().ShouldBe([0, 1]);
    }
}
