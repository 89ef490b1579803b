using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

/// <summary>
/// A server that trusts the proxies in 10.0.0.0/8 and 192.0.2.7. The in-process test host knows no peer address, so
/// a test-only middleware takes it from the <c>X-Test-Peer</c> header.
/// </summary>
public sealed class ProxyTrustingApp : TidingsApp
{
    public const string PeerHeader = "X-Test-Peer";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Tracking:TrustedProxies:0"] = "10.0.0.0/8",
        ["Tracking:TrustedProxies:1"] = "192.0.2.7",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new PeerFromHeader(PeerHeader)));
    }
}

public sealed class ForwardedForTests(ProxyTrustingApp app) : IClassFixture<ProxyTrustingApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, "203.0.113.9", null)]
    [InlineData("198.51.100.20", "203.0.113.9", "198.51.100.20")]
    [InlineData("::ffff:198.51.100.20", "203.0.113.9", "198.51.100.20")]
    [InlineData("10.1.2.3", "203.0.113.9", "203.0.113.9")]
    [InlineData("10.1.2.3", "6.6.6.6, 203.0.113.9, 10.9.9.9, 192.0.2.7", "203.0.113.9")]
    [InlineData("10.1.2.3", "10.9.9.9", "10.9.9.9")]
    [InlineData("10.1.2.3", "garbage, 203.0.113.9:4711", "203.0.113.9")]
    [InlineData("10.1.2.3", "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("10.1.2.3", "nonsense", "10.1.2.3")]
    public async Task Forwarded_for_is_honoured_only_from_a_trusted_peer(string? peer, string forwardedFor, string? expectedIp)
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var request = new HttpRequestMessage(HttpMethod.Get, scenario.Destinations[0].OpenUrl);
        if (peer is not null) request.Headers.Add(ProxyTrustingApp.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);

        (await client.Http.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var payload = JsonNode.Parse(await connection.QuerySingleAsync<string>("SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'open'", new { client.AccountId }))!;
        (payload["ip"]?.GetValue<string>()).ShouldBe(expectedIp);
        payload["headers"]!["X-Forwarded-For"]!.GetValue<string>().ShouldBe(forwardedFor);
    }
}
