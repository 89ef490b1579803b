using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Configuration;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// Without the development setting, a handler that could never be validated — on this machine, or an IP address — is
/// refused when a webhook is created or its handler changed, with the reason, instead of being stored to wait for ever.
/// </summary>
public sealed class UnvalidatableHandlerTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("http://localhost:9000/hook", "localhost")]
    [InlineData("http://LOCALHOST./hook", "localhost.")]
    [InlineData("http://127.0.0.1:9000/hook", "127.0.0.1")]
    [InlineData("http://127.0.0.2/", "127.0.0.2")]
    [InlineData("http://[::1]:9000/hook", "[::1]")]
    [InlineData("http://[::ffff:127.0.0.1]/", "[::ffff:127.0.0.1]")]
    public async Task A_handler_on_this_machine_is_refused_naming_the_development_setting(string handler, string host)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler, trigger = "open" })).ShouldBeCopernicaErrorAsync(
            $"The handler's host '{host}' is this machine (loopback), which can never be validated: webhooks go to localhost, 127.0.0.0/8 or ::1 only in development, with the setting Webhooks:Development:AllowLoopback=true");
        (await client.GetJsonAsync("/v3/webhooks"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook", "10.1.2.3")]
    [InlineData("https://93.184.216.34/", "93.184.216.34")]
    [InlineData("http://[2001:db8::1]:8080/", "[2001:db8::1]")]
    public async Task A_handler_on_an_IP_address_is_refused(string handler, string host)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/webhooks", new { handler, trigger = "open" })).ShouldBeCopernicaErrorAsync($"The handler's host '{host}' is an IP address, which can never be validated: use a host name under a domain of the account (POST domains)");
    }

    [Fact]
    public async Task Changing_a_handler_to_one_that_can_never_be_validated_is_refused_and_changes_nothing()
    {
        var client = await app.NewAccountAsync();
        var id = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "open" });
        await (await client.PutJsonAsync($"/v3/webhook/{id}", new { handler = "http://127.0.0.1/in", trigger = "click" })).ShouldBeCopernicaErrorAsync();
        var webhook = await client.GetJsonAsync($"/v3/webhook/{id}");
        webhook["handler"]!.GetValue<string>().ShouldBe("https://hooks.example.com/in");
        webhook["trigger"]!.GetValue<string>().ShouldBe("open");
    }

    [Fact]
    public async Task A_webhook_stored_with_such_a_handler_before_can_still_be_changed_otherwise()
    {
        var client = await app.NewAccountAsync();
        var store = app.Services.GetRequiredService<WebhookStore>();
        var legacy = store.New(client.AccountId);
        legacy.Handler = "http://10.0.0.7/hook";
        legacy.Triggers = "[\"open\"]";
        legacy.Callers = "[\"ms\",\"publisher\"]";
        legacy.MaxConcurrency = 4;
        legacy.MaxPerSecond = 50;
        legacy.BatchMaxEvents = 1;
        var id = await store.CreateAsync(legacy, TestContext.Current.CancellationToken);

        (await client.PutJsonAsync($"/v3/webhook/{id}", new { enabled = false })).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
        var webhook = await client.GetJsonAsync($"/v3/webhook/{id}");
        webhook["enabled"]!.GetValue<bool>().ShouldBeFalse();
        webhook["validated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task This_machine_cannot_be_claimed_without_the_development_setting(string domain)
    {
        var client = await app.NewAccountAsync();
        await (await client.PostJsonAsync("/v3/domains", new { domain })).ShouldBeCopernicaErrorAsync(
            $"'{domain}' is this machine (loopback): it can be claimed only in development, with the setting Webhooks:Development:AllowLoopback=true");
    }
}
