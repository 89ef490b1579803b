using System.Net;
using System.Text;
using System.Xml.Linq;
using System.Xml.Schema;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// Calls through the in-process test server with envelopes written by hand (<see cref="SoapTests.Envelope"/>): a call
/// that must succeed (its <c>result</c> checked against the WSDL's <c>Result</c> type) or one that must be a Fault.
/// </summary>
public sealed class SoapInProcess(TidingsApp app)
{
    private static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";
    private XmlSchemaSet? _schemas;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, XElement Body)> PostAsync(string envelope)
    {
        var response = await app.CreateClient().PostAsync("/", new StringContent(envelope, Encoding.UTF8, "text/xml"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, XDocument.Parse(text).Root!.Element(Env + "Body")!.Elements().Single());
    }

    /// <summary>The <c>result</c> of a call that must succeed.</summary>
    public async Task<XElement> CallAsync(ApiClient client, string method, string members = "")
    {
        var (status, body) = await PostAsync(SoapTests.Envelope(method, members, client.Token));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Name.ShouldBe(XName.Get(method + "Response", "urn:api"));
        var result = body.Element("result")!;
        SoapResultSchema.ShouldMatch(result, _schemas ??= await SoapResultSchema.LoadAsync(app.CreateClient(), Ct));
        return result;
    }

    /// <summary>The <c>faultstring</c> of a call that must be a Fault (HTTP 500) with <paramref name="code"/>.</summary>
    public async Task<string> FaultAsync(ApiClient client, string method, string members = "", string code = "SOAP-ENV:Client")
    {
        var (status, body) = await PostAsync(SoapTests.Envelope(method, members, client.Token));
        status.ShouldBe(HttpStatusCode.InternalServerError, body.ToString());
        body.Name.ShouldBe(Env + "Fault");
        body.Element("faultcode")!.Value.ShouldBe(code);
        return body.Element("faultstring")!.Value;
    }
}
