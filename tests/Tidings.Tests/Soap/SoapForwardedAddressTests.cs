using System.Xml.Linq;
using Tidings.Tests.Hosting;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>Proxies in 10.0.0.0/8 trusted for the whole server.</summary>
public sealed class SoapProxyApp : PeerProbeApp
{
    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Server:TrustedProxies:0"] = "10.0.0.0/8",
    };
}

/// <summary>Without <c>Rest:PublicBaseUrl</c>, the WSDL's <c>soap:address</c> honours forwarded headers only from a trusted proxy.</summary>
public sealed class SoapForwardedAddressTests(SoapProxyApp app) : IClassFixture<SoapProxyApp>
{
    [Theory(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("10.1.2.3", "https://soap.example.org/")]
    [InlineData("203.0.113.5", "http://localhost/")]
    public async Task The_wsdl_address_follows_forwarded_headers_of_a_trusted_proxy_only(string peer, string expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/?SOAPAPI=WSDL");
        request.Headers.Add(PeerProbeApp.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "soap.example.org");
        request.Headers.Add("X-Forwarded-For", "198.51.100.1");

        var response = await app.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);

        var wsdl = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        wsdl.Descendants(XName.Get("address", "http://schemas.xmlsoap.org/wsdl/soap/")).Single().Attribute("location")!.Value.ShouldBe(expected);
    }
}
