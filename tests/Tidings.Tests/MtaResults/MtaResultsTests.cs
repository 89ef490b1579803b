using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.MtaResults;

public sealed class MtaResultsTests(MtaResultsApp app) : IClassFixture<MtaResultsApp>
{
    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public async Task A_json_array_of_results_records_each_type_with_its_facts_and_the_enrichment()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 4);
        var m = s.Destinations.Select(d => d.MessageId).ToList();
        var body = $$$"""
        [
          {"message":"{{{m[0]}}}","type":"delivery","time":"2026-11-20T10:00:00Z","code":250,"status":"2.0.0","description":"250 2.0.0 Ok: queued as 4F1","attempts":1},
          {"message":"{{{m[1]}}}","type":"retry","time":1763632800,"code":451,"status":"4.7.1","description":"Greylisted","attempt":0},
          {"message":"{{{m[2]}}}","type":"failure","code":550,"status":"5.1.1","description":"User unknown","errortype":"hard","state":"rcptto"},
          {"message":"{{{m[3]}}}","type":"bounce","code":552,"status":"5.2.2","description":"Mailbox full","recipient":"person3@example.com","envelope":{"remotemta":"mx.example.com"}}
        ]
        """;
        var summary = await (await client.PostResultsAsync(body)).OkJsonAsync();
        summary["recorded"]!.GetValue<int>().ShouldBe(4);
        summary["duplicates"]!.GetValue<int>().ShouldBe(0);
        summary["unknown"].Ints().ShouldBeEmpty();

        var events = await app.DeliveryEventsAsync(client.AccountId);
        events.Select(e => e.Type).ShouldBe(["delivery", "retry", "failure", "bounce"]);

        var (_, delivery, deliveredAt) = events[0];
        deliveredAt.ShouldBe(DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        delivery["message"]!.GetValue<string>().ShouldBe(m[0]);
        delivery["attempts"]!.GetValue<int>().ShouldBe(1);
        delivery["code"]!.GetValue<int>().ShouldBe(250);
        delivery["status"]!.GetValue<string>().ShouldBe("2.0.0");
        delivery["description"]!.GetValue<string>().ShouldBe("250 2.0.0 Ok: queued as 4F1");
        delivery["email"]!.GetValue<string>().ShouldBe("person0@example.com");
        delivery["fields"]!["firstname"]!.GetValue<string>().ShouldBe("Person0");
        delivery["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["promo", "november"]);
        delivery["mailing"]!.GetValue<long>().ShouldBe(s.MailingId);

        var (_, retry, retriedAt) = events[1];
        retriedAt.ShouldBe(1763632800_000L);
        retry["attempt"]!.GetValue<int>().ShouldBe(0);
        retry["code"]!.GetValue<int>().ShouldBe(451);
        retry["description"]!.GetValue<string>().ShouldBe("Greylisted");

        var failure = events[2].Payload;
        failure["errortype"]!.GetValue<string>().ShouldBe("hard");
        failure["state"]!.GetValue<string>().ShouldBe("rcptto");
        failure["code"]!.GetValue<int>().ShouldBe(550);
        failure["status"]!.GetValue<string>().ShouldBe("5.1.1");
        failure["email"]!.GetValue<string>().ShouldBe("person2@example.com");

        var bounce = events[3].Payload;
        bounce["code"]!.GetValue<int>().ShouldBe(552);
        bounce["recipient"]!.GetValue<string>().ShouldBe("person3@example.com");
        bounce["envelope"]!["remotemta"]!.GetValue<string>().ShouldBe("mx.example.com");
        bounce["interests"]!.AsArray().Single()!.GetValue<string>().ShouldBe("news");
    }

    [Fact]
    public async Task Json_lines_are_read_line_by_line_with_blank_lines_skipped()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var body = Json(new { message = s.Destinations[0].MessageId, type = "delivery", code = 250 }) + "\n\n"
            + Json(new { message = s.Destinations[1].MessageId, type = "error", code = 554, status = "5.7.1", errortype = "soft" }) + "\n";
        var summary = await (await client.PostResultsAsync(body, "application/x-ndjson")).OkJsonAsync();
        summary["recorded"]!.GetValue<int>().ShouldBe(2);

        // unversioned paths are aliases, as for the Copernica calls
        var retry = Json(new { message = s.Destinations[0].MessageId, type = "retry", attempt = 1 });
        (await (await client.PostResultsAsync(retry, "application/x-ndjson", "/mta/results")).OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(1);
        var events = await app.DeliveryEventsAsync(client.AccountId);
        events.Select(e => e.Type).ShouldBe(["delivery", "failure", "retry"]);
        events[1].Payload["errortype"]!.GetValue<string>().ShouldBe("soft");
    }

    [Fact]
    public async Task Json_lines_are_recognised_by_their_first_character_without_a_content_type()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var body = Json(new { message = s.Destinations[0].MessageId, type = "retry", attempt = 2 });
        (await (await client.PostResultsAsync(body, "text/plain")).OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(1);
        (await app.DeliveryEventsAsync(client.AccountId)).Single().Type.ShouldBe("retry");
    }

    [Fact]
    public async Task A_replayed_batch_records_nothing_new_and_reports_duplicates()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var body = Json(new object[]
        {
            new { message = s.Destinations[0].MessageId, type = "delivery", code = 250, id = "queue-1" },
            new { message = s.Destinations[1].MessageId, type = "retry", code = 421, time = "2026-11-21T08:00:00+01:00" },
        });
        (await (await client.PostResultsAsync(body)).OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(2);
        var again = await (await client.PostResultsAsync(body)).OkJsonAsync();
        again["recorded"]!.GetValue<int>().ShouldBe(0);
        again["duplicates"]!.GetValue<int>().ShouldBe(2);
        (await app.DeliveryEventsAsync(client.AccountId)).Count.ShouldBe(2);

        // the same MTA id is a replay even if the MTA reports it slightly differently the second time
        var changed = Json(new[] { new { message = s.Destinations[0].MessageId, type = "delivery", code = 250, id = "queue-1", description = "again" } });
        (await (await client.PostResultsAsync(changed)).OkJsonAsync())["duplicates"]!.GetValue<int>().ShouldBe(1);
        (await app.DeliveryEventsAsync(client.AccountId)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Mixed_good_and_bad_lines_give_a_400_listing_the_bad_lines_and_store_the_good_ones_once()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var m = s.Destinations.Select(d => d.MessageId).ToList();
        var lines = new[]
        {
            Json(new { message = m[0], type = "delivery", code = 250 }),
            Json(new { message = m[1], type = "explode" }),
            "{not json",
            Json(new { message = m[1], type = "failure", code = 999 }),
            Json(new { message = m[1], type = "bounce", status = "5.1.1", code = 550 }),
            Json(new { type = "delivery" }),
            Json(new { message = m[0], type = "retry", time = "yesterday" }),
            Json(new { message = m[0], type = "retry", code = "451" }),
            Json(new { message = m[0], type = "delivery", errortype = "hard" }),
            Json(new { message = m[0], type = "delivery", colour = "blue" }),
            $$"""{"message":"{{m[0]}}","type":"delivery","type":"bounce"}""",
        };
        var body = string.Join('\n', lines);

        var error = await (await client.PostResultsAsync(body, "application/jsonl")).BadJsonAsync();
        error["message"]!.GetValue<string>().ShouldStartWith("9 of 11 results are malformed");
        var errors = error["errors"]!.AsArray();
        errors.Select(e => e!["line"]!.GetValue<int>()).ShouldBe([2, 3, 4, 6, 7, 8, 9, 10, 11]);
        errors.ShouldAllBe(e => e!["message"]!.GetValue<string>().Length > 0);
        errors[0]!["message"]!.GetValue<string>().ShouldContain("explode");
        errors[2]!["message"]!.GetValue<string>().ShouldContain("out of range");
        error["recorded"]!.GetValue<int>().ShouldBe(2);
        (await app.DeliveryEventsAsync(client.AccountId)).Select(e => e.Type).ShouldBe(["delivery", "bounce"]);

        // the client retries the whole request: the good lines are not stored twice
        var retried = await (await client.PostResultsAsync(body, "application/jsonl")).BadJsonAsync();
        retried["recorded"]!.GetValue<int>().ShouldBe(0);
        retried["duplicates"]!.GetValue<int>().ShouldBe(2);
        (await app.DeliveryEventsAsync(client.AccountId)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Bad_elements_of_a_json_array_are_listed_by_their_position()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var body = $$"""[{"message":"{{s.Destinations[0].MessageId}}","type":"delivery"}, 42, {"message":"ABC","type":"delivery"}]""";
        var error = await (await client.PostResultsAsync(body)).BadJsonAsync();
        error["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).ShouldBe([2, 3]);
        error["recorded"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_message_id_is_reported_and_not_recorded()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var body = Json(new object[]
        {
            new { message = "zzzzzzzzzzzzzzzz", type = "delivery" },
            new { message = s.Destinations[0].MessageId, type = "delivery" },
        });
        var summary = await (await client.PostResultsAsync(body)).OkJsonAsync();
        summary["recorded"]!.GetValue<int>().ShouldBe(1);
        summary["unknown"].Ints().ShouldBe([1]);
        (await app.DeliveryEventsAsync(client.AccountId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_id_of_another_account_is_treated_as_unknown()
    {
        var owner = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(owner, profiles: 1);
        var other = await app.NewAccountAsync();
        var summary = await (await other.PostResultsAsync(Json(new[] { new { message = s.Destinations[0].MessageId, type = "bounce", code = 550 } }))).OkJsonAsync();
        summary["recorded"]!.GetValue<int>().ShouldBe(0);
        summary["unknown"].Ints().ShouldBe([1]);
        (await app.DeliveryEventsAsync(owner.AccountId)).ShouldBeEmpty();
        (await app.DeliveryEventsAsync(other.AccountId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_read_only_token_is_refused()
    {
        var writer = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(writer, profiles: 1);
        var accounts = app.Services.GetRequiredService<Tidings.Accounts.AccountStore>();
        var token = await accounts.CreateTokenAsync(writer.AccountId, "read", canWrite: false, TestContext.Current.CancellationToken);
        var reader = new ApiClient(app.CreateClient(), token.Token, writer.AccountId);
        var body = Json(new[] { new { message = s.Destinations[0].MessageId, type = "delivery" } });
        await (await reader.PostResultsAsync(body)).ShouldBeCopernicaErrorAsync("This access token has no write access");
        await (await reader.SendAsync(HttpMethod.Post, "/v3/mta/dsn", "x", "message/rfc822")).ShouldBeCopernicaErrorAsync("This access token has no write access");
        var anonymous = app.CreateClient();
        (await anonymous.PostAsync("/v3/mta/results", new StringContent(body), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await app.DeliveryEventsAsync(writer.AccountId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_oversized_body_or_too_many_results_are_refused_and_store_nothing()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var line = Json(new { message = s.Destinations[0].MessageId, type = "delivery", description = new string('x', 1000) });
        var huge = string.Join('\n', Enumerable.Range(0, 80).Select(i => line.Replace("\"type\"", $"\"id\":\"{i}\",\"type\"", StringComparison.Ordinal)));
        huge.Length.ShouldBeGreaterThan(MtaResultsApp.MaxBody);
        await (await client.PostResultsAsync(huge, "application/x-ndjson")).ShouldBeCopernicaErrorAsync();

        var many = string.Join('\n', Enumerable.Range(0, MtaResultsApp.MaxResults + 1).Select(i => Json(new { message = s.Destinations[0].MessageId, type = "retry", attempt = i })));
        var error = await (await client.PostResultsAsync(many, "application/x-ndjson")).BadJsonAsync();
        error["message"]!.GetValue<string>().ShouldContain("Delivery:MaxResultsPerRequest");
        (await app.DeliveryEventsAsync(client.AccountId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_holds_no_results_is_refused()
    {
        var client = await app.NewAccountAsync();
        await (await client.PostResultsAsync("[1, 2", "application/json")).ShouldBeCopernicaErrorAsync();
        await (await client.PostResultsAsync("[]", "application/json")).ShouldBeCopernicaErrorAsync("The request body holds no results");
        await (await client.PostResultsAsync("", "application/json")).ShouldBeCopernicaErrorAsync("The request body holds no results");
    }
}
