using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>"Test webhook" (a sample event, or the user's own post data) and "Check now", through the REST API.</summary>
public sealed class TestCallTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private async Task<(ApiClient Client, long Webhook)> SetUpAsync(Uri handler, object settings, bool validate = true)
    {
        var client = await app.NewAccountAsync();
        if (validate) await app.ValidateTestDomainAsync(client.AccountId);
        return (client, await DeliveryApp.CreateWebhookAsync(client, handler, settings));
    }

    private static async Task<JsonNode> PostJsonAsync(ApiClient client, string path, object body)
    {
        var response = await client.PostJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_test_call_sends_a_signed_sample_of_the_type_and_shows_the_whole_answer()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.AnswerHeaders = _ => new Dictionary<string, string> { ["X-Receiver"] = "yes" };
        var (client, webhook) = await SetUpAsync(receiver.Url, new { trigger = "click", signing = "both" });

        var result = await PostJsonAsync(client, $"/v3/webhook/{webhook}/test", new { type = "open" });

        result["success"]!.GetValue<bool>().ShouldBeTrue();
        result["status"]!.GetValue<int>().ShouldBe(200);
        result["response"]!["body"]!.GetValue<string>().ShouldBe("ok");
        result["response"]!["headers"]!["X-Receiver"]!.GetValue<string>().ShouldBe("yes");
        result["request"]!["headers"]!["Signature"]!.GetValue<string>().ShouldContain("rsa-sha256");
        result["request"]!["headers"]!["webhook-signature"]!.GetValue<string>().ShouldStartWith("v1,");
        var call = receiver.Calls.ShouldHaveSingleItem();
        call.Form["type"].ShouldBe("open");
        call.Form["recipient"].ShouldBe("test@example.com");
        result["request"]!["body"]!.GetValue<string>().ShouldBe(call.Text);
    }

    [Fact]
    public async Task A_test_call_sends_the_users_own_post_data()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, webhook) = await SetUpAsync(receiver.Url, new { trigger = "open", signing = "none" });

        var result = await PostJsonAsync(client, $"/v3/webhook/{webhook}/test", new { data = new { type = "open", id = "my-message", tags = new[] { "a", "b" } } });

        result["success"]!.GetValue<bool>().ShouldBeTrue();
        var call = receiver.Calls.ShouldHaveSingleItem();
        call.Form["id"].ShouldBe("my-message");
        call.FormValues("tags[]").ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task A_test_call_to_an_unvalidated_domain_is_refused_with_a_clear_error_and_sends_nothing()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, webhook) = await SetUpAsync(receiver.Url, new { trigger = "open" }, validate: false);

        var response = await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { });

        await response.ShouldBeCopernicaErrorAsync();
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        text.ShouldContain("tidings.test");
        receiver.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_for_a_handler_under_an_unvalidated_domain_are_not_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database });

        // A webhook created after it, in an account whose domain is validated: once that one runs and has its event,
        // the engine has loaded this webhook too and read past its event.
        await using var witness = await Receiver.StartAsync();
        var other = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(other.AccountId);
        var otherDatabase = await other.CreateDatabaseAsync("People", ("email", "email"));
        var watching = await DeliveryApp.CreateWebhookAsync(other, witness.Url, new { trigger = "create", database = otherDatabase });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(other, watching);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        await other.CreateProfileAsync(otherDatabase, new { email = "b@example.com" });
        await witness.WaitAsync(c => c.Count >= 1);

        var status = await client.GetJsonAsync($"/v3/webhook/{webhook}/status");
        status["running"]!.GetValue<bool>().ShouldBeFalse();
        (await client.GetJsonAsync($"/v3/webhook/{webhook}"))["validation_error"]!.GetValue<string>().ShouldContain("not under a validated domain");
        receiver.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Check_now_tests_every_webhook_of_the_account()
    {
        await using var good = await Receiver.StartAsync();
        await using var bad = await Receiver.StartAsync();
        bad.Answer = _ => 500;
        var (client, _) = await SetUpAsync(good.Url, new { trigger = "open" });
        await DeliveryApp.CreateWebhookAsync(client, bad.Url, new { trigger = "click" });

        var result = await PostJsonAsync(client, "/v3/webhooks/check", new { });

        result["count"]!.GetValue<int>().ShouldBe(2);
        result["succeeded"]!.GetValue<int>().ShouldBe(1);
        result["data"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()).Order().ShouldBe([200, 500]);
        good.Calls.ShouldHaveSingleItem().Form["type"].ShouldBe("open");
        bad.Calls.ShouldHaveSingleItem().Form["type"].ShouldBe("click");
    }

    [Fact]
    public async Task Another_accounts_token_can_neither_see_nor_use_a_webhooks_delivery_calls()
    {
        await using var receiver = await Receiver.StartAsync();
        var (_, webhook) = await SetUpAsync(receiver.Url, new { trigger = "open" });
        var other = await app.NewAccountAsync("Other");

        foreach (var path in new[] { "status", "attempts", "deliveries", "replays", "secrets" })
        {
            var (status, body) = await other.GetTextAsync($"/v3/webhook/{webhook}/{path}");
            status.ShouldBe(400, path);
            body.ShouldContain("No webhook with supplied ID");
        }

        await (await other.PostJsonAsync($"/v3/webhook/{webhook}/test", new { })).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        await (await other.PostJsonAsync($"/v3/webhook/{webhook}/replay", new { failed = true })).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        receiver.Calls.ShouldBeEmpty();
    }
}

/// <summary>The SSRF guard in the delivery path: a handler that resolves to a loopback address is never called.</summary>
public sealed class PrivateAddressTests(NoPrivateNetworksApp app) : IClassFixture<NoPrivateNetworksApp>
{
    [Fact]
    public async Task A_handler_resolving_to_a_private_address_is_refused_by_test_calls_and_deliveries()
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "create", database });

        var test = await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { });
        var result = JsonNode.Parse(await test.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        result["success"]!.GetValue<bool>().ShouldBeFalse();
        result["error"]!.GetValue<string>().ShouldContain("127.0.0.1");

        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        await client.CreateProfileAsync(database, new { email = "a@example.com" });
        var attempts = await EventTypeDeliveryTests.WaitForAsync(
            async () => (await client.GetJsonAsync($"/v3/webhook/{webhook}/attempts"))["data"]!.AsArray(), a => a.Count >= 1);
        attempts[0]!["status"].ShouldBeNull();
        attempts[0]!["error"]!.GetValue<string>().ShouldContain("127.0.0.1");
        receiver.Calls.ShouldBeEmpty();
    }
}
