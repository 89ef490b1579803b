using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Hosting;

/// <summary>
/// A server that plays the peer named in <c>X-Test-Peer</c> (the in-process host knows none) and shows the request as
/// the application sees it (<see cref="RequestProbe"/>).
/// </summary>
public abstract class PeerProbeApp : TidingsApp
{
    public const string PeerHeader = "X-Test-Peer";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter>(new PeerFromHeader(PeerHeader));
            s.AddSingleton<IStartupFilter>(new RequestProbe());
        });
    }

    /// <summary>A new account whose client sends <paramref name="headers"/> on every request and follows no redirect.</summary>
    public async Task<ApiClient> NewAccountBehindAsync(params (string Name, string Value)[] headers)
    {
        var account = await NewAccountAsync();
        var http = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var (name, value) in headers) http.DefaultRequestHeaders.Add(name, value);
        return new ApiClient(http, account.Token, account.AccountId);
    }
}

/// <summary>Reverse proxies in 10.0.0.0/8 and 192.0.2.7 for the whole server; 172.16.0.0/12 for tracking only.</summary>
public sealed class ServerProxiesApp : PeerProbeApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Server:TrustedProxies:0"] = "10.0.0.0/8",
        ["Server:TrustedProxies:1"] = "192.0.2.7",
        ["Tracking:TrustedProxies:0"] = "172.16.0.0/12",
    };
}

/// <summary><c>Server:TrustedProxies</c> empty (the default), <c>Tracking:TrustedProxies</c> 10.0.0.0/8.</summary>
public sealed class TrackingProxiesOnlyApp : PeerProbeApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Tracking:TrustedProxies:0"] = "10.0.0.0/8",
    };
}

/// <summary>
/// <c>Server:TrustedProxies</c>: the forwarded client address, scheme and host are believed from a trusted proxy only,
/// by tracking, the REST addresses and <c>IsHttps</c> alike.
/// </summary>
public sealed class TrustedProxiesTests(ServerProxiesApp app) : IClassFixture<ServerProxiesApp>
{
    private const string Peer = PeerProbeApp.PeerHeader;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, "203.0.113.9", null)]
    [InlineData("198.51.100.20", "203.0.113.9", "198.51.100.20")]
    [InlineData("127.0.0.1", "203.0.113.9", "127.0.0.1")]
    [InlineData("::1", "203.0.113.9", "::1")]
    [InlineData("10.1.2.3", "203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:10.1.2.3", "203.0.113.9", "203.0.113.9")]
    [InlineData("192.0.2.7", "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("10.1.2.3", "6.6.6.6, 203.0.113.9, 10.9.9.9, 192.0.2.7", "203.0.113.9")]
    [InlineData("10.1.2.3", "10.9.9.9", "10.9.9.9")]
    [InlineData("10.1.2.3", "nonsense", "10.1.2.3")]
    [InlineData("172.16.5.5", "203.0.113.9", "203.0.113.9")]
    [InlineData("10.1.2.3", "203.0.113.9, 172.16.5.5", "203.0.113.9")]
    [InlineData("172.16.5.5", "203.0.113.9, 10.9.9.9", "203.0.113.9")]
    public async Task Tracking_records_the_client_a_proxy_trusted_by_either_setting_forwarded(string? peer, string forwardedFor, string? expectedIp)
    {
        var client = await app.NewAccountAsync();
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        var request = new HttpRequestMessage(HttpMethod.Get, scenario.Destinations[0].OpenUrl);
        if (peer is not null) request.Headers.Add(Peer, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);

        (await client.Http.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var connection = await app.Services.OpenCaughtUpReadAsync(Ct);
        var payload = JsonNode.Parse(await connection.QuerySingleAsync<string>("SELECT payload FROM journal WHERE account_id = @AccountId AND type = 'open'", new { client.AccountId }))!;
        (payload["ip"]?.GetValue<string>()).ShouldBe(expectedIp);
    }

    [Fact]
    public async Task A_trusted_proxy_forwards_scheme_host_and_client()
    {
        var seen = await RequestProbe.AskAsync(app.CreateClient(),
            (Peer, "10.1.2.3"), ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com"));

        seen.ShouldBe(new SeenRequest(IsHttps: true, "https", "tidings.example.com", "203.0.113.9"));
    }

    [Fact]
    public async Task A_chain_of_trusted_proxies_is_followed_to_the_client()
    {
        var seen = await RequestProbe.AskAsync(app.CreateClient(),
            (Peer, "192.0.2.7"), ("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 10.9.9.9"), ("X-Forwarded-Proto", "https"));

        seen.ShouldBe(new SeenRequest(IsHttps: true, "https", "localhost", "203.0.113.9"));
    }

    [Fact]
    public async Task X_forwarded_proto_alone_makes_the_request_https()
    {
        var seen = await RequestProbe.AskAsync(app.CreateClient(), (Peer, "::ffff:10.1.2.3"), ("X-Forwarded-Proto", "https"));

        seen.IsHttps.ShouldBeTrue();
        seen.RemoteAddress.ShouldBe("::ffff:10.1.2.3");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("198.51.100.20")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("172.16.5.5")]
    public async Task Forwarded_headers_from_any_other_peer_are_ignored(string? peer)
    {
        (string, string)[] forwarded = [("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example")];
        var seen = await RequestProbe.AskAsync(app.CreateClient(), peer is null ? forwarded : [(Peer, peer), .. forwarded]);

        seen.ShouldBe(new SeenRequest(IsHttps: false, "http", "localhost", peer));
    }

    [Fact]
    public async Task X_location_after_a_create_uses_the_forwarded_scheme_and_host_from_a_trusted_proxy_only()
    {
        (string, string)[] forwarded = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com")];
        var trusted = await app.NewAccountBehindAsync([(Peer, "10.1.2.3"), .. forwarded]);
        var untrusted = await app.NewAccountBehindAsync([(Peer, "198.51.100.20"), .. forwarded]);

        var response = await trusted.PostJsonAsync("/v3/databases", new { name = "Shop" });
        await response.ShouldHaveStatusAsync(201);
        response.Header("X-location").ShouldBe($"https://tidings.example.com/v3/database/{response.Header("X-Created")}");

        response = await untrusted.PostJsonAsync("/v3/databases", new { name = "Shop" });
        await response.ShouldHaveStatusAsync(201);
        response.Header("X-location").ShouldBe($"http://localhost/v3/database/{response.Header("X-Created")}");
    }

    [Fact]
    public async Task V2_location_uses_the_forwarded_scheme_and_host_from_a_trusted_proxy_only()
    {
        (string, string)[] forwarded = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com")];
        var trusted = await app.NewAccountBehindAsync([(Peer, "192.0.2.7"), .. forwarded]);
        var untrusted = await app.NewAccountBehindAsync([(Peer, "192.0.2.8"), .. forwarded]);

        foreach (var (client, baseUrl) in new[] { (trusted, "https://tidings.example.com"), (untrusted, "http://localhost") })
        {
            var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
            var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
            var response = await client.SendAsync(HttpMethod.Put, $"/v2/profile/{pid}", "{\"fields\":{\"name\":\"Bob\"}}");
            await response.ShouldHaveStatusAsync(303);
            response.Headers.Location!.ToString().ShouldBe($"{baseUrl}/profile/{pid}?access_token={client.Token}");
        }
    }
}

/// <summary>With <c>Server:TrustedProxies</c> empty nothing forwarded is believed, except by tracking's own setting.</summary>
public sealed class NoServerProxiesTests(TrackingProxiesOnlyApp app) : IClassFixture<TrackingProxiesOnlyApp>
{
    [Fact]
    public async Task Forwarded_scheme_host_and_client_are_ignored_even_from_a_tracking_proxy()
    {
        var seen = await RequestProbe.AskAsync(app.CreateClient(),
            (PeerProbeApp.PeerHeader, "10.1.2.3"), ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com"));

        seen.ShouldBe(new SeenRequest(IsHttps: false, "http", "localhost", "10.1.2.3"));
    }

    [Fact]
    public async Task X_location_is_built_from_the_request_itself()
    {
        var client = await app.NewAccountBehindAsync((PeerProbeApp.PeerHeader, "10.1.2.3"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com"));

        var response = await client.PostJsonAsync("/v3/databases", new { name = "Shop" });

        await response.ShouldHaveStatusAsync(201);
        response.Header("X-location").ShouldBe($"http://localhost/v3/database/{response.Header("X-Created")}");
    }
}

/// <summary>On a real socket: the peer is Kestrel's own (127.0.0.1), trusted as a proxy.</summary>
public sealed class KestrelProxyApp : TidingsApp
{
    public KestrelProxyApp() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Server:TrustedProxies:0"] = "127.0.0.1",
    };

    public HttpClient Http { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RequestProbe()));
    }

    public override ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(MasterKeyFile)!);
        StartServer();
        Http = CreateClient();
        return ValueTask.CompletedTask;
    }
}

public sealed class KestrelTrustedProxyTests(KestrelProxyApp app) : IClassFixture<KestrelProxyApp>
{
    [Fact]
    public async Task A_trusted_peer_on_a_real_connection_forwards_scheme_host_and_client()
    {
        var seen = await RequestProbe.AskAsync(app.Http, ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "tidings.example.com"));

        seen.ShouldBe(new SeenRequest(IsHttps: true, "https", "tidings.example.com", "203.0.113.9"));
    }

    [Fact]
    public async Task Without_forwarded_headers_the_request_is_what_arrived()
    {
        var seen = await RequestProbe.AskAsync(app.Http);

        seen.IsHttps.ShouldBeFalse();
        seen.RemoteAddress.ShouldBe("127.0.0.1");
    }
}
