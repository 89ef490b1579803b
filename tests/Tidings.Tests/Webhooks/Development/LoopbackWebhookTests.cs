using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Webhooks.Domains;

namespace Tidings.Tests.Webhooks.Development;

/// <summary>
/// Under the development setting, <c>localhost</c> and loopback addresses are hosts an account can claim, validate by
/// the verification file and receive calls on; nothing else about the address rules changes.
/// </summary>
public sealed class LoopbackWebhookTests(LoopbackApp app) : IClassFixture<LoopbackApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("LocalHost.", "localhost")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    public async Task Localhost_and_loopback_addresses_can_be_claimed(string claimed, string stored)
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/domains", new { domain = claimed });
        var domain = await client.GetJsonAsync($"/v3/domain/{id}");
        domain["domain"]!.GetValue<string>().ShouldBe(stored);
        domain["validated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task Other_addresses_still_cannot_be_claimed(string claimed)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/domains", new { domain = claimed })).ShouldBeCopernicaErrorAsync($"'{claimed}' is not a domain name (expected something like example.com)");
    }

    [Fact]
    public async Task A_localhost_webhook_is_validated_by_its_file_and_its_calls_arrive_with_no_network_allowed()
    {
        await using var files = await Configuration.TestFileServer.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        var database = await client.CreateDatabaseAsync("People", ("email", "email"));
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = $"http://localhost:{receiver.Url.Port}/hook", trigger = "create", database });
        (await client.GetJsonAsync($"/v3/webhook/{webhook}"))["validated"]!.GetValue<bool>().ShouldBeFalse();

        var id = await client.CreateAsync("/v3/domains", new { domain = "localhost" });
        var file = (await client.GetJsonAsync($"/v3/domain/{id}"))["file"]!;
        files.Files["/" + file["name"]!.GetValue<string>()] = file["content"]!.GetValue<string>();
        var filePort = new Uri(files.BaseUrl).Port;
        var validated = await client.PostJsonAsync($"/v3/domain/{id}/validate", new { url = $"http://localhost:{filePort}/" });
        var text = await validated.Content.ReadAsStringAsync(Ct);
        validated.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        JsonNode.Parse(text)!["method"]!.GetValue<string>().ShouldBe("file");
        (await client.GetJsonAsync($"/v3/webhook/{webhook}"))["validated"]!.GetValue<bool>().ShouldBeTrue();

        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        await client.CreateProfileAsync(database, new { email = "ann@example.com" });
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];
        call.Form["fields[email]"].ShouldBe("ann@example.com");
        call.Header("Host").ShouldBe($"localhost:{receiver.Url.Port}");
    }

    [Fact]
    public async Task A_claim_with_validate_that_fails_is_not_kept()
    {
        var client = await app.NewAccountAsync();
        var port = Receiver.FreePort();
        await client.CreateAsync("/v3/webhooks", new { handler = $"http://localhost:{port}/hook", trigger = "open" });

        var response = await client.PostJsonAsync("/v3/domains", new { domain = "localhost", validate = true });
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>();
        ((int)response.StatusCode).ShouldBe(400);
        message.ShouldStartWith("Domain localhost is not validated. Looked for the verification file ");
        message.ShouldContain($"http://localhost:{port}/tidings-verification-");
        (await client.GetJsonAsync("/v3/domains"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task A_loopback_host_is_validated_by_its_file_only()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/domains", new { domain = "127.0.0.1" });
        await (await client.PostJsonAsync($"/v3/domain/{id}/validate", new { method = "dns" }))
            .ShouldBeCopernicaErrorAsync("127.0.0.1 is this machine: it is validated by its verification file only (method file)");
        await (await client.PostJsonAsync("/v3/domains", new { domain = "localhost", validate = "maybe" }))
            .ShouldBeCopernicaErrorAsync("Unknown validate value 'maybe' (expected dns, file or true)");
    }

    [Fact]
    public async Task A_validated_localhost_covers_localhost_and_nothing_else()
    {
        var client = await app.NewAccountAsync();
        await app.Services.GetRequiredService<Tidings.Storage.IStorage>().WriteAsync(
            w => Dapper.SqlMapper.ExecuteAsync(w.Connection, DeliveryApp.ValidatedDomainSql, new { accountId = client.AccountId, domain = "localhost" }, w.Transaction), Ct);
        var store = app.Services.GetRequiredService<DomainStore>();
        (await store.IsHandlerAllowedAsync(client.AccountId, "http://localhost:9000/hook", Ct)).ShouldBeTrue();
        (await store.IsHandlerAllowedAsync(client.AccountId, "http://LOCALHOST/", Ct)).ShouldBeTrue();
        (await store.IsHandlerAllowedAsync(client.AccountId, "http://127.0.0.1:9000/hook", Ct)).ShouldBeFalse();
        (await store.IsHandlerAllowedAsync(client.AccountId, "http://hooks.localhost/", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_loopback_address_is_still_refused()
    {
        // hooks.tidings.test → 127.0.0.1 through Webhooks:Delivery:Hosts; the setting opens localhost and loopback
        // addresses written as such, not every name that leads there.
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "open" });
        var result = JsonNode.Parse(await (await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { })).Content.ReadAsStringAsync(Ct))!;
        result["success"]!.GetValue<bool>().ShouldBeFalse();
        result["error"]!.GetValue<string>().ShouldContain("resolves to 127.0.0.1, a loopback address; not allowed");
        receiver.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("https://93.184.216.34/")]
    [InlineData("http://[2001:db8::1]:8080/")]
    public async Task An_address_that_is_not_loopback_is_refused_as_handler(string handler)
    {
        var client = await app.NewAccountAsync();
        var host = new Uri(handler).Host;
        await (await client.PostJsonAsync("/v3/webhooks", new { handler, trigger = "open" }))
            .ShouldBeCopernicaErrorAsync($"The handler's host '{host}' is an IP address, which can never be validated: use a host name under a domain of the account (POST domains)");
    }
}
