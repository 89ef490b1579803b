using Tidings.Webhooks.Domains;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>The ownership rule: a handler's host equals or is a subdomain of a validated domain, by whole labels.</summary>
public sealed class HandlerRuleTests
{
    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("a.b.example.com", "example.com", true)]
    [InlineData("A.B.EXAMPLE.COM.", "example.com", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("evilexample.com", "example.com", false)]
    [InlineData("example.com.evil.net", "example.com", false)]
    [InlineData("example.org", "example.com", false)]
    [InlineData("com", "example.com", false)]
    [InlineData("bücher.example", "xn--bcher-kva.example", true)]
    [InlineData("shop.xn--bcher-kva.example", "bücher.example", true)]
    [InlineData("localhost", "localhost", true)]
    [InlineData("LOCALHOST.", "localhost", true)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("a.localhost", "localhost", false)]
    [InlineData("localhost", "127.0.0.1", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.2", "127.0.0.1", false)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", true)]
    [InlineData("example.com", "127.0.0.1", false)]
    public void A_host_is_under_a_domain_only_by_whole_labels_and_a_loopback_host_only_under_itself(string host, string domain, bool under) =>
        HostNames.IsUnder(host, domain).ShouldBe(under);

    [Theory]
    [InlineData("https://a.b.example.com/hook", true)]
    [InlineData("http://example.com:8080/x?y=1", true)]
    [InlineData("https://badexample.com/hook", false)]
    [InlineData("https://example.com@evil.net/hook", false)]
    [InlineData("https://bücher.example/", true)]
    [InlineData("not a url", false)]
    public void A_handler_url_is_allowed_when_its_host_lies_under_a_validated_domain(string url, bool allowed) =>
        HostNames.IsHandlerUnder(url, ["example.com", "xn--bcher-kva.example"]).ShouldBe(allowed);
}
