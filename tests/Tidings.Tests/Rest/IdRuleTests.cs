using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>
/// One rule for numeric ids on every path: ASCII digits only, leading zeros allowed. A sign, a space or anything else
/// names nothing, also on the paths of interests, fields, mailings and webhooks.
/// </summary>
public sealed class IdRuleTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("+{0}")]
    [InlineData("-{0}")]
    [InlineData("{0}%20")]
    [InlineData("%20{0}")]
    [InlineData("{0}.0")]
    [InlineData("0x{0}")]
    public async Task Ids_that_are_not_plain_digits_name_nothing_on_other_paths(string pattern)
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = "age", type = "integer" });
        var interest = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "news" });
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "create" });
        string Id(long id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, id);

        await (await client.PutJsonAsync($"/v3/interest/{Id(interest)}", new { name = "renamed" })).ShouldBeCopernicaErrorAsync("No interest with supplied ID");
        await (await client.DeleteAsync($"/v3/database/{db}/field/{Id(field)}")).ShouldBeCopernicaErrorAsync();
        await (await client.GetAsync($"/v3/webhook/{Id(webhook)}")).ShouldBeCopernicaErrorAsync("No webhook with supplied ID");
        await (await client.GetAsync($"/v3/ms/emailing/{Id(1)}")).ShouldBeCopernicaErrorAsync();

        (await client.GetJsonAsync($"/v3/database/{db}/interests")).DataIds().ShouldBe([interest.S()]);
        (await client.GetJsonAsync($"/v3/database/{db}/fields")).DataIds().ShouldContain(field.S());
    }

    [Fact]
    public async Task Leading_zeros_are_allowed_on_other_paths_too()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop");
        var interest = await client.CreateAsync($"/v3/database/{db}/interests", new { name = "news" });
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "create" });
        await (await client.PutJsonAsync($"/v3/interest/00{interest}", new { name = "renamed" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/database/{db}/interests"))["data"]![0].Str("name").ShouldBe("renamed");
        (await client.GetJsonAsync($"/v3/webhook/0{webhook}")).Str("ID").ShouldBe(webhook.S());
    }
}

/// <summary>
/// A request target that Kestrel itself refuses (a NUL byte, <c>%00</c>) never reaches Tidings: Kestrel answers 400
/// with an empty body. Clients look only at the status. Runs in the SQLite pass only: it tests the HTTP server, not
/// the store.
/// </summary>
public sealed class KestrelRefusalTests : IAsyncLifetime
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it tests the HTTP server, not the store.";
    private readonly KestrelTidingsApp _app = new();

    public async ValueTask InitializeAsync()
    {
        if (!TidingsApp.SuiteOnPostgres) await _app.InitializeAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/v3/profile/10%00")]
    [InlineData("/profile/10%00/fields")]
    [InlineData("/v3/database/1%00")]
    public async Task A_nul_byte_in_the_path_gets_kestrels_empty_400(string path)
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var client = await _app.NewAccountAsync();
        var address = _app.ServerAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        var request = $"GET {path}?access_token={client.Token} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        response.ShouldStartWith("HTTP/1.1 400 ");
        response.ShouldContain("Content-Length: 0");
        response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_server_answers_a_valid_request_through_kestrel()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, SqlitePassOnly);
        var client = await _app.NewAccountAsync();
        using var http = new HttpClient { BaseAddress = _app.ServerAddress };
        var response = await http.GetAsync($"/v3/profile/10?access_token={client.Token}", TestContext.Current.CancellationToken);
        await response.ShouldBeCopernicaErrorAsync("No entity with supplied ID");
    }

    /// <summary>The server on real Kestrel (on a free local port) instead of the in-memory test server.</summary>
    private sealed class KestrelTidingsApp : TidingsApp
    {
        protected override bool FollowsSuiteProvider => false;

        public Uri ServerAddress { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            UseKestrel(0);
            await base.InitializeAsync();
            var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            ServerAddress = new Uri(addresses.First());
        }
    }
}
