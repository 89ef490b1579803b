using System.Net;
using System.Xml.Linq;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>A server with <c>Rest:PublicBaseUrl</c> set.</summary>
public sealed class SoapPublicAddressApp : TidingsApp
{
    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Rest:PublicBaseUrl"] = "https://soap.example.com",
    };
}

/// <summary>The WSDL's <c>soap:address</c> is the configured public URL, whatever host the request came to.</summary>
public sealed class SoapPublicAddressTests(SoapPublicAddressApp app) : IClassFixture<SoapPublicAddressApp>
{
    [Fact(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_wsdl_is_addressed_to_the_configured_public_url()
    {
        var response = await app.CreateClient().GetAsync("/?SOAPAPI=WSDL", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var wsdl = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var address = wsdl.Descendants(XName.Get("address", "http://schemas.xmlsoap.org/wsdl/soap/")).Single();
        address.Attribute("location")!.Value.ShouldBe("https://soap.example.com/");
    }
}
