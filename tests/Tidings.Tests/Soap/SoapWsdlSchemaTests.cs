using System.Net;
using System.Text;
using System.Xml.Linq;
using Tidings.Tests.Infrastructure;
using static Tidings.Tests.Soap.SoapWsdlChecks;

namespace Tidings.Tests.Soap;

/// <summary>
/// The served WSDL is WSDL 1.1 and XML Schema: valid against the published WSDL 1.1 and SOAP binding schemas (copies
/// in Soap/Schemas, no network), its embedded schema compiles, every message part's type resolves, and binding and
/// portType agree; a real answer and a real Fault are valid SOAP 1.1 envelopes. Whatever methods the WSDL lists.
/// </summary>
public sealed class SoapWsdlSchemaTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<XDocument> WsdlAsync() => XDocument.Parse(await app.CreateClient().GetStringAsync("/?SOAPAPI=WSDL", Ct));

    private static List<string> AllProblems(XDocument wsdl)
    {
        var (compile, embedded) = EmbeddedSchemas(wsdl);
        return [.. WsdlSchemaErrors(wsdl), .. compile, .. UnresolvedParts(wsdl, embedded), .. ReferenceErrors(wsdl)];
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_served_wsdl_is_valid_wsdl_1_1_with_a_compiling_schema_and_consistent_references()
    {
        var wsdl = await WsdlAsync();

        WsdlSchemaErrors(wsdl).ShouldBeEmpty();
        var (compile, embedded) = EmbeddedSchemas(wsdl);
        compile.ShouldBeEmpty();
        embedded.IsCompiled.ShouldBeTrue();
        UnresolvedParts(wsdl, embedded).ShouldBeEmpty();
        ReferenceErrors(wsdl).ShouldBeEmpty();
        // Not vacuous: there are operations, and each has its input type in the schema.
        var operations = wsdl.Root!.Elements(Wsdl + "portType").Elements(Wsdl + "operation").Select(o => o.Attribute("name")!.Value).ToList();
        operations.Count.ShouldBeGreaterThan(0);
        foreach (var op in operations) embedded.GlobalTypes[new System.Xml.XmlQualifiedName("input_" + op, "urn:api")].ShouldNotBeNull(op);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Each_check_fails_on_a_broken_wsdl()
    {
        var served = await WsdlAsync();
        AllProblems(served).ShouldBeEmpty();
        XDocument Broken(Action<XElement> breakIt)
        {
            var copy = new XDocument(served);
            breakIt(copy.Root!);
            return copy;
        }

        var firstOperation = served.Root!.Element(Wsdl + "binding")!.Element(Wsdl + "operation")!.Attribute("name")!.Value;

        // WSDL schema: an unknown style, a portType without its required name, a misplaced element.
        WsdlSchemaErrors(Broken(w => w.Element(Wsdl + "binding")!.Element(WsdlSoap + "binding")!.SetAttributeValue("style", "chatty"))).ShouldNotBeEmpty();
        WsdlSchemaErrors(Broken(w => w.Element(Wsdl + "portType")!.Attribute("name")!.Remove())).ShouldNotBeEmpty();
        WsdlSchemaErrors(Broken(w => w.Element(Wsdl + "message")!.Add(new XElement(Wsdl + "operation", new XAttribute("name", "x"))))).ShouldNotBeEmpty();
        WsdlSchemaErrors(Broken(w => w.Element(Wsdl + "service")!.Element(Wsdl + "port")!.Add(new XElement(WsdlSoap + "adress")))).ShouldNotBeEmpty();

        // Embedded schema: a member of a type nobody defines.
        EmbeddedSchemas(Broken(w => w.Descendants(Xsd + "sequence").First().Add(new XElement(Xsd + "element", new XAttribute("name", "x"), new XAttribute("type", "tns:Nowhere")))))
            .Errors.ShouldNotBeEmpty();

        // Message parts: a type that is not there, an undeclared prefix, both type and element.
        var missingType = Broken(w => w.Element(Wsdl + "message")!.Element(Wsdl + "part")!.SetAttributeValue("type", "tns:input_Nothing"));
        UnresolvedParts(missingType, EmbeddedSchemas(missingType).Set).ShouldNotBeEmpty();
        var badPrefix = Broken(w => w.Element(Wsdl + "message")!.Element(Wsdl + "part")!.SetAttributeValue("type", "nope:Result"));
        UnresolvedParts(badPrefix, EmbeddedSchemas(badPrefix).Set).ShouldNotBeEmpty();
        var both = Broken(w => w.Element(Wsdl + "message")!.Element(Wsdl + "part")!.SetAttributeValue("element", "tns:Result"));
        UnresolvedParts(both, EmbeddedSchemas(both).Set).ShouldNotBeEmpty();

        // References: a bound operation the portType lacks, an unbound one, a missing message, encoded use.
        ReferenceErrors(Broken(w => w.Element(Wsdl + "binding")!.Element(Wsdl + "operation")!.SetAttributeValue("name", "Nothing_at_all"))).ShouldNotBeEmpty();
        ReferenceErrors(Broken(w => w.Element(Wsdl + "binding")!.Elements(Wsdl + "operation").First(o => o.Attribute("name")!.Value == firstOperation).Remove())).ShouldNotBeEmpty();
        ReferenceErrors(Broken(w => w.Element(Wsdl + "portType")!.Element(Wsdl + "operation")!.Element(Wsdl + "input")!.SetAttributeValue("message", "tns:NoRequest"))).ShouldNotBeEmpty();
        ReferenceErrors(Broken(w => w.Element(Wsdl + "binding")!.Descendants(WsdlSoap + "body").First().SetAttributeValue("use", "encoded"))).ShouldNotBeEmpty();
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_real_answer_and_a_real_fault_are_valid_soap_1_1_envelopes()
    {
        var client = await app.NewAccountAsync();
        await client.CreateDatabaseAsync("Envelope", ("email", "email"));
        var http = app.CreateClient();

        var answer = await http.PostAsync("/", new StringContent(SoapTests.Envelope("Account_databases", "", client.Token), Encoding.UTF8, "text/xml"), Ct);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answerXml = XDocument.Parse(await answer.Content.ReadAsStringAsync(Ct));
        EnvelopeErrors(answerXml).ShouldBeEmpty();
        answerXml.Descendants("total").Single().Value.ShouldBe("1");

        var fault = await http.PostAsync("/", new StringContent(SoapTests.Envelope("Account_nothing", "", client.Token), Encoding.UTF8, "text/xml"), Ct);
        fault.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var faultXml = XDocument.Parse(await fault.Content.ReadAsStringAsync(Ct));
        EnvelopeErrors(faultXml).ShouldBeEmpty();
        faultXml.Descendants(Env + "Fault").Single().Element("faultcode")!.Value.ShouldBe("SOAP-ENV:Client");

        // The check can fail: no Body, a Fault without faultstring, a faultcode whose prefix is not declared.
        EnvelopeErrors(XDocument.Parse($"<e:Envelope xmlns:e=\"{Env.NamespaceName}\"><e:Header/></e:Envelope>")).ShouldNotBeEmpty();
        EnvelopeErrors(XDocument.Parse($"<e:Envelope xmlns:e=\"{Env.NamespaceName}\"><e:Body><e:Fault><faultcode>e:Client</faultcode></e:Fault></e:Body></e:Envelope>")).ShouldNotBeEmpty();
        EnvelopeErrors(XDocument.Parse($"<e:Envelope xmlns:e=\"{Env.NamespaceName}\"><e:Body><e:Fault><faultcode>x:Client</faultcode><faultstring>f</faultstring></e:Fault></e:Body></e:Envelope>")).ShouldNotBeEmpty();
        EnvelopeErrors(XDocument.Parse($"<e:Envelope xmlns:e=\"{Env.NamespaceName}\"><e:Body/><e:Body/></e:Envelope>")).ShouldNotBeEmpty();
    }
}
