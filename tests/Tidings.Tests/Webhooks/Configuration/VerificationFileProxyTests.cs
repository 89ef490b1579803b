using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// The verification-file download connects to the customer's host itself, never through a proxy from the environment:
/// through one, the address check would see only the proxy's address and the proxy would fetch any address at all.
/// A real server process, since a proxy is read from its environment.
/// </summary>
public sealed class VerificationFileProxyTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task With_a_proxy_set_the_file_is_fetched_directly_and_a_private_address_is_still_refused()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "A server process on its own SQLite file: the SQLite pass covers it.");
        Directory.CreateDirectory(_directory);
        var database = Path.Combine(_directory, "tidings.db");
        var (exit, output) = await CommandLine.RunAsync(database, [], "accounts", "create", "Proxy");
        exit.ShouldBe(0, output);
        var token = output.Trim().Split('\n')[^1].Trim();

        await using var files = await TestFileServer.StartAsync();
        using var proxy = new CountingProxy();
        var proxyUrl = $"http://127.0.0.1:{proxy.Port}";
        using var server = await ServerProcess.StartAsync(database,
            [
                new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
                new("Webhooks:Delivery:Hosts:files.proxy.test", "127.0.0.1"),
                new("Webhooks:Delivery:Hosts:private.inside.test", "10.1.2.3"),
            ],
            ct: Ct,
            environment: new Dictionary<string, string>
            {
                ["HTTP_PROXY"] = proxyUrl, ["http_proxy"] = proxyUrl, ["HTTPS_PROXY"] = proxyUrl, ["https_proxy"] = proxyUrl,
                ["ALL_PROXY"] = proxyUrl, ["all_proxy"] = proxyUrl, ["NO_PROXY"] = "", ["no_proxy"] = "",
            });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.BaseAddress };

        var claim = await http.PostAsJsonAsync($"v3/domains?access_token={token}", new { domain = "proxy.test" }, Ct);
        claim.StatusCode.ShouldBe(HttpStatusCode.Created, await claim.Content.ReadAsStringAsync(Ct));
        var domain = JsonNode.Parse(await http.GetStringAsync($"v3/domain/{claim.Headers.GetValues("X-Created").Single()}?access_token={token}", Ct))!;
        files.Files["/" + domain["file"]!["name"]!.GetValue<string>()] = domain["file"]!["content"]!.GetValue<string>();
        var port = new Uri(files.BaseUrl).Port;
        var validated = await http.PostAsJsonAsync($"v3/domain/{domain["ID"]}/validate?access_token={token}", new { method = "file", url = $"http://files.proxy.test:{port}/hook" }, Ct);
        validated.StatusCode.ShouldBe(HttpStatusCode.OK, await validated.Content.ReadAsStringAsync(Ct));

        var inside = await http.PostAsJsonAsync($"v3/domains?access_token={token}", new { domain = "inside.test" }, Ct);
        var refused = await http.PostAsJsonAsync($"v3/domain/{inside.Headers.GetValues("X-Created").Single()}/validate?access_token={token}", new { method = "file", url = "http://private.inside.test/hook" }, Ct);
        ((int)refused.StatusCode).ShouldBe(400);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("resolves to 10.1.2.3, a private address; not allowed (setting Webhooks:Delivery:AllowedNetworks)");

        proxy.Connections.ShouldBe(0);
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    /// <summary>A "proxy" on 127.0.0.1 that counts the connections made to it and closes them.</summary>
    private sealed class CountingProxy : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _connections;

        public CountingProxy()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
