using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Mailings;

public sealed class MailingTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task A_mailing_to_a_database_gives_every_profile_a_destination_and_an_enriched_attempt_event()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 5);
        scenario.Destinations.Count.ShouldBe(5);
        scenario.Destinations.Select(d => d.MessageId).Distinct().Count().ShouldBe(5);
        scenario.Destinations.ShouldAllBe(d => d.MessageId.Length == 16 && d.Token.Length >= 22 && d.ClickUrls.Count == 2);

        var mailing = await client.GetJsonAsync($"/v3/ms/emailing/{scenario.MailingId}");
        mailing!["destinations"]!.GetValue<long>().ShouldBe(5);
        mailing["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["promo", "november"]);

        await using var connection = await app.Services.OpenCaughtUpReadAsync(TestContext.Current.CancellationToken);
        var attempts = (await connection.QueryAsync<string>("SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'attempt' ORDER BY seq", new { client.AccountId })).ToList();
        attempts.Count.ShouldBe(5);
        var first = System.Text.Json.Nodes.JsonNode.Parse(attempts[0])!;
        first["email"]!.GetValue<string>().ShouldBe("person0@example.com");
        first["fields"]!["firstname"]!.GetValue<string>().ShouldBe("Person0");
        first["interests"]!.AsArray().Single()!.GetValue<string>().ShouldBe("news");
        first["tags"]!.AsArray().Count.ShouldBe(2);
        first["message"]!.GetValue<string>().ShouldBe(scenario.Destinations[0].MessageId);
    }

    [Fact]
    public async Task A_destination_can_be_read_by_its_message_id()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = await client.GetJsonAsync($"/v3/ms/destination/{scenario.Destinations[0].MessageId}");
        d!["ID"]!.GetValue<string>().ShouldBe(scenario.Destinations[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Mailings_of_another_account_are_invisible()
    {
        var owner = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(owner, profiles: 1);
        var other = await app.NewAccountAsync();
        await (await other.GetAsync($"/v3/ms/emailing/{scenario.MailingId}")).ShouldBeCopernicaErrorAsync();
        await (await other.GetAsync($"/v3/ms/destination/{scenario.Destinations[0].MessageId}")).ShouldBeCopernicaErrorAsync();
        var list = await other.GetJsonAsync("/v3/ms/emailings");
        list!["total"]!.GetValue<long>().ShouldBe(0);
        await (await other.PostJsonAsync("/v3/ms/emailing", new { target = scenario.DatabaseId, targettype = "database" })).ShouldBeCopernicaErrorAsync("No database with supplied ID");
    }

    [Fact]
    public async Task Invalid_mailing_requests_are_refused_and_create_nothing()
    {
        var client = await app.NewAccountAsync();
        var database = await client.CreateDatabaseAsync("Mailing_bad_input", ("email", "email"));
        await (await client.PostJsonAsync("/v3/ms/emailing", new { target = database, targettype = "view" })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/ms/emailing", new { target = database, targettype = "database", links = new[] { "javascript:alert(1)" } })).ShouldBeCopernicaErrorAsync();
        await (await client.PostJsonAsync("/v3/ms/emailing", new { targettype = "database" })).ShouldBeCopernicaErrorAsync();
        (await client.GetJsonAsync("/v3/ms/emailings"))!["total"]!.GetValue<long>().ShouldBe(0);
    }
}
