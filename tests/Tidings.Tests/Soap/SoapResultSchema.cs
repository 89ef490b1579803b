using System.Xml.Linq;
using System.Xml.Schema;

namespace Tidings.Tests.Soap;

/// <summary>
/// The WSDL's own schema, to check that an answer's <c>result</c> is of the <c>Result</c> type. In rpc/literal no
/// element declares <c>result</c>, so a wrapper schema declares an unqualified <c>result</c> of type <c>tns:Result</c>.
/// </summary>
public static class SoapResultSchema
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";

    /// <summary>The WSDL's types plus the wrapper, compiled.</summary>
    public static async Task<XmlSchemaSet> LoadAsync(HttpClient http, CancellationToken ct)
    {
        var wsdl = XDocument.Parse(await http.GetStringAsync("/?SOAPAPI=WSDL", ct));
        var set = new XmlSchemaSet { XmlResolver = null };
        var schema = wsdl.Root!.Element(Wsdl + "types")!.Element(Xsd + "schema")!;
        set.Add(XmlSchema.Read(schema.CreateReader(), null)!);
        var wrapper = new XElement(Xsd + "schema", new XAttribute(XNamespace.Xmlns + "xsd", Xsd.NamespaceName), new XAttribute(XNamespace.Xmlns + "tns", "urn:api"),
            new XElement(Xsd + "import", new XAttribute("namespace", "urn:api")),
            new XElement(Xsd + "element", new XAttribute("name", "result"), new XAttribute("type", "tns:Result")));
        set.Add(XmlSchema.Read(wrapper.CreateReader(), null)!);
        set.Compile();
        return set;
    }

    /// <summary>Fails with the schema's complaints when <paramref name="result"/> is not a valid <c>Result</c>.</summary>
    public static void ShouldMatch(XElement result, XmlSchemaSet schemas)
    {
        var errors = new List<string>();
        new XDocument(new XElement(result)).Validate(schemas, (_, e) => errors.Add(e.Message));
        errors.ShouldBeEmpty(result.ToString());
    }

    /// <summary>The <c>result</c> element of a whole response envelope, validated.</summary>
    public static XElement ResultOf(string responseXml, XmlSchemaSet schemas)
    {
        var result = XDocument.Parse(responseXml).Descendants().Single(e => e.Name.LocalName == "result" && e.Name.NamespaceName == "");
        ShouldMatch(result, schemas);
        return result;
    }
}
