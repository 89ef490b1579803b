using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

/// <summary>
/// Every open carries the profile as it was when the open happened: repeated opens of one message (which the writer
/// may enrich from memory) see a profile change at once, and events journaled before the change keep the old facts.
/// </summary>
public sealed class FrozenEnrichmentTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_open_after_a_field_or_interest_change_carries_the_new_profile_and_earlier_opens_keep_the_old()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var destination = scenario.Destinations[0];

        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();
        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();
        (await client.PutJsonAsync($"/v3/profile/{destination.ProfileId}/fields", new { city = "Zwolle" })).EnsureSuccessStatusCode();
        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();
        (await client.PutJsonAsync($"/v3/profile/{destination.ProfileId}/interests", Array.Empty<string>())).EnsureSuccessStatusCode();
        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();

        var opens = await OpensAsync(client.AccountId);
        opens.Count.ShouldBe(4);
        opens.Select(o => o["fields"]!["city"]!.GetValue<string>()).ShouldBe(["Utrecht", "Utrecht", "Zwolle", "Zwolle"]);
        opens.Select(o => o["interests"]!.AsArray().Count).ShouldBe([1, 1, 1, 0]);
    }

    [Fact]
    public async Task An_open_after_a_field_is_renamed_carries_the_new_field_name()
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var destination = scenario.Destinations[0];
        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();

        var fields = await client.GetJsonAsync($"/v3/database/{scenario.DatabaseId}/fields");
        var city = fields!["data"]!.AsArray().First(f => f!["name"]!.GetValue<string>() == "city")!["ID"]!.GetValue<string>();
        (await client.PutJsonAsync($"/v3/database/{scenario.DatabaseId}/field/{city}", new { name = "town" })).EnsureSuccessStatusCode();
        (await client.Http.GetAsync(destination.OpenUrl, Ct)).EnsureSuccessStatusCode();

        var opens = await OpensAsync(client.AccountId);
        opens[0]["fields"]!["city"]!.GetValue<string>().ShouldBe("Utrecht");
        opens[1]["fields"]!.AsObject().ContainsKey("city").ShouldBeFalse();
        opens[1]["fields"]!["town"]!.GetValue<string>().ShouldBe("Utrecht");
    }

    private async Task<List<JsonNode>> OpensAsync(long accountId)
    {
        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var rows = await connection.QueryAsync<string>("SELECT payload FROM journal WHERE account_id = @accountId AND type = 'open' ORDER BY seq", new { accountId });
        return rows.Select(r => JsonNode.Parse(r)!).ToList();
    }
}
