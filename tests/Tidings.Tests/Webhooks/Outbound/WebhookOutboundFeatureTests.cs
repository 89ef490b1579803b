using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Outbound;

namespace Tidings.Tests.Webhooks.Outbound;

public sealed class WebhookOutboundFeatureTests(SqliteTidingsApp app) : IClassFixture<SqliteTidingsApp>
{
    [Fact]
    public void Server_binds_the_delivery_settings_and_registers_one_guarded_client_and_the_payload_builder()
    {
        var options = app.Services.GetRequiredService<IOptions<WebhookOutboundOptions>>().Value;
        options.RequestTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.AllowedNetworks.ShouldBe(["127.0.0.1/32"]);

        var factory = app.Services.GetRequiredService<SafeHttpClientFactory>();
        factory.ShouldBeSameAs(app.Services.GetRequiredService<SafeHttpClientFactory>());
        factory.Policy.Refusal(IPAddress.Loopback).ShouldBeNull();
        factory.Policy.Refusal(IPAddress.Parse("10.0.0.5")).ShouldBe("private");
        app.Services.GetRequiredService<WebhookPayloads>().ShouldNotBeNull();
    }
}
