using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http;
using Tidings.Webhooks.Outbound;

using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Outbound;

public sealed class SafeHttpClientTests
{
    private static SafeHttpClientFactory Factory(string[]? allowed = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        var options = Options.Create(new WebhookOutboundOptions { AllowedNetworks = [.. allowed ?? []], RequestTimeout = TimeSpan.FromSeconds(5) });
        return resolve is null ? new SafeHttpClientFactory(options) : new SafeHttpClientFactory(options, resolve);
    }

    private static async Task<WebhookAddressRefusedException> RefusedAsync(SafeHttpClientFactory factory, string url)
    {
        var ex = await Should.ThrowAsync<HttpRequestException>(() => factory.Client.GetAsync(new Uri(url), TestContext.Current.CancellationToken));
        return WebhookAddressRefusedException.From(ex).ShouldNotBeNull($"{url} failed for another reason: {ex}");
    }

    [Theory]
    [InlineData("http://10.0.0.5/", "private")]
    [InlineData("http://172.16.3.4/", "private")]
    [InlineData("http://172.31.255.255/", "private")]
    [InlineData("http://192.168.1.1/", "private")]
    [InlineData("http://127.0.0.1/", "loopback")]
    [InlineData("http://127.1.2.3:8080/", "loopback")]
    [InlineData("http://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("http://100.127.255.254/", "carrier-grade NAT")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local (cloud metadata)")]
    [InlineData("http://169.254.10.10/", "link-local")]
    [InlineData("http://0.0.0.0/", "unspecified")]
    [InlineData("http://0.1.2.3/", "reserved (this network, 0.0.0.0/8)")]
    [InlineData("http://224.0.0.1/", "multicast")]
    [InlineData("http://239.255.255.250/", "multicast")]
    [InlineData("http://255.255.255.255/", "broadcast")]
    [InlineData("http://240.0.0.1/", "reserved")]
    [InlineData("http://192.0.2.1/", "reserved (documentation)")]
    [InlineData("http://198.18.0.1/", "reserved (benchmarking)")]
    [InlineData("http://[::1]/", "loopback")]
    [InlineData("http://[::]/", "unspecified")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://[fc00::1]/", "unique-local")]
    [InlineData("http://[fd12:3456::1]/", "unique-local")]
    [InlineData("http://[ff02::1]/", "multicast")]
    [InlineData("http://[::ffff:10.0.0.1]/", "private")]
    [InlineData("http://[::ffff:127.0.0.1]/", "loopback")]
    [InlineData("http://[::ffff:169.254.169.254]/", "link-local (cloud metadata)")]
    [InlineData("http://[::ffff:100.64.0.1]/", "carrier-grade NAT")]
    [InlineData("http://[::ffff:0.0.0.0]/", "unspecified")]
    [InlineData("http://[64:ff9b::a00:1]/", "reserved (NAT64)")]
    [InlineData("http://[2002:a00:1::1]/", "reserved (6to4)")]
    [InlineData("http://[2001:db8::1]/", "reserved (documentation)")]
    [InlineData("http://2130706433/", "loopback")] // 127.0.0.1 as one decimal number
    [InlineData("http://0x7f.1/", "loopback")]
    public async Task Refuses_a_url_whose_literal_address_is_not_public(string url, string kind)
    {
        using var factory = Factory();
        var refused = await RefusedAsync(factory, url);
        refused.Kind.ShouldBe(kind);
    }

    [Fact]
    public async Task Refuses_localhost_because_it_resolves_to_loopback()
    {
        using var factory = Factory();
        var refused = await RefusedAsync(factory, "http://localhost:9/");
        refused.Kind.ShouldBe("loopback");
        refused.Message.ShouldStartWith("Webhook host localhost resolves to ");
    }

    [Fact]
    public async Task Names_the_host_the_address_and_the_setting_in_the_refusal()
    {
        using var factory = Factory(resolve: (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.5") }));
        var refused = await RefusedAsync(factory, "https://hooks.example.com/x");
        refused.Message.ShouldBe("Webhook host hooks.example.com resolves to 10.0.0.5, a private address; not allowed (setting Webhooks:Delivery:AllowedNetworks)");
        refused.Host.ShouldBe("hooks.example.com");
        refused.Address.ShouldBe(IPAddress.Parse("10.0.0.5"));
    }

    [Fact]
    public async Task Refuses_a_literal_ipv4_mapped_ipv6_address_naming_the_ipv4_address()
    {
        using var factory = Factory();
        var refused = await RefusedAsync(factory, "http://[::ffff:10.0.0.1]/");
        refused.Message.ShouldBe("Webhook address 10.0.0.1 is a private address; not allowed (setting Webhooks:Delivery:AllowedNetworks)");
    }

    [Fact]
    public async Task Keeps_only_the_public_addresses_of_a_name_that_resolves_to_public_and_private_ones()
    {
        using var factory = Factory(resolve: (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.5"), IPAddress.Parse("93.184.216.34"), IPAddress.Parse("::ffff:192.168.0.1") }));
        var vetted = await factory.VetAsync("mixed.example.com", TestContext.Current.CancellationToken);
        vetted.ShouldBe([IPAddress.Parse("93.184.216.34")]);
    }

    [Fact]
    public async Task Refuses_127_0_0_1_unless_the_operator_allows_it()
    {
        await using var server = await StubServer.StartAsync(c => c.Response.WriteAsync("ok"));

        using (var guarded = Factory())
        {
            (await RefusedAsync(guarded, server.Url.ToString())).Kind.ShouldBe("loopback");
        }

        using var allowed = Factory(["127.0.0.1/32"]);
        using var response = await allowed.Client.GetAsync(server.Url, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task An_allowed_network_does_not_open_other_forbidden_addresses()
    {
        using var factory = Factory(["127.0.0.1/32"]);
        (await RefusedAsync(factory, "http://127.0.0.2/")).Kind.ShouldBe("loopback");
        (await RefusedAsync(factory, "http://10.0.0.1/")).Kind.ShouldBe("private");
    }

    [Fact]
    public async Task Connects_to_the_address_it_resolved_itself_without_resolving_again()
    {
        await using var server = await StubServer.StartAsync(c => c.Response.WriteAsync("ok"));
        var lookups = 0;
        using var factory = Factory(["127.0.0.1/32"], (host, _) =>
        {
            Interlocked.Increment(ref lookups);
            host.ShouldBe("hooks.invalid");
            return Task.FromResult(new[] { IPAddress.Loopback });
        });

        // hooks.invalid exists in no DNS: the call can only succeed by dialling the address the guard vetted.
        using var response = await factory.Client.GetAsync(new Uri($"http://hooks.invalid:{server.Url.Port}/"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        lookups.ShouldBe(1);
    }

    [Fact]
    public async Task Returns_a_redirect_to_a_private_address_instead_of_following_it()
    {
        await using var server = await StubServer.StartAsync(c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = "http://10.0.0.5/internal";
            return Task.CompletedTask;
        });
        using var factory = Factory(["127.0.0.1/32"]);
        using var response = await factory.Client.GetAsync(server.Url, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location.ShouldBe(new Uri("http://10.0.0.5/internal"));
    }

    [Fact]
    public async Task Never_connects_to_the_target_of_a_redirect()
    {
        await using var target = await StubServer.StartAsync(c => c.Response.WriteAsync("secret"));
        await using var server = await StubServer.StartAsync(c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = target.Url.ToString();
            return Task.CompletedTask;
        });
        using var factory = Factory(["127.0.0.1/32"]);
        using var response = await factory.Client.PostAsync(server.Url, new StringContent("type=open"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        server.Hits.ShouldBe(1);
        target.Hits.ShouldBe(0);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("100.63.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Treats_public_addresses_as_allowed(string address)
    {
        AddressPolicy.ForbiddenKind(IPAddress.Parse(address)).ShouldBeNull();
        AddressPolicy.PublicOnly.Refusal(IPAddress.Parse(address)).ShouldBeNull();
    }

    [Fact]
    public void An_allowed_ipv4_network_also_allows_its_ipv4_mapped_ipv6_form()
    {
        var policy = new AddressPolicy([IPNetwork.Parse("10.1.0.0/16")]);
        policy.Refusal(IPAddress.Parse("::ffff:10.1.2.3")).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("10.1.2.3")).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("10.2.0.1")).ShouldBe("private");
    }

    [Fact]
    public void Rejects_an_allowed_network_that_is_not_cidr()
    {
        var options = new WebhookOutboundOptions { AllowedNetworks = ["127.0.0.1/32", "localhost"] };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        errors.Count.ShouldBe(1);
        errors[0].ErrorMessage!.ShouldContain("'localhost' is not a network in CIDR notation");
    }

    [Theory]
    [InlineData("ftp://example.com/", "the URL must start with http:// or https://")]
    [InlineData("https://user:pw@example.com/", "the URL must not contain a user name or password")]
    [InlineData("https://example.com/hook", null)]
    public void Accepts_only_plain_http_and_https_urls(string url, string? problem)
    {
        SafeHttpClientFactory.UrlProblem(new Uri(url)).ShouldBe(problem);
    }

    [Fact]
    public void Uses_one_pooled_handler_that_follows_no_redirects_keeps_no_cookies_and_uses_no_proxy()
    {
        using var factory = Factory();
        factory.Client.Timeout.ShouldBe(TimeSpan.FromSeconds(5));
        var handler = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(factory.Client).ShouldBeOfType<SocketsHttpHandler>();
        handler.AllowAutoRedirect.ShouldBeFalse();
        handler.UseCookies.ShouldBeFalse();
        handler.UseProxy.ShouldBeFalse();
        handler.ConnectCallback.ShouldNotBeNull();
        using var second = factory.CreateClient();
        typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(second).ShouldBeSameAs(handler);
    }
}
