using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Tidings.Soap;

/// <summary>
/// The WSDL 1.1 document, SOAP 1.1 rpc/literal, generated from <see cref="SoapMethods.All"/> with the names generated
/// Copernica proxies expect (copernica-apis.md §2.1): service <c>POM_SOAP_API</c>, port <c>POMPort</c>, portType
/// <c>POMPortType</c>, an <c>input_&lt;Method&gt;</c> type in a part named <c>parameters</c>, and one shared output
/// type <c>Result</c> (an <c>xsd:choice</c> of every shape a method answers) in a part named <c>result</c>.
/// </summary>
internal static class SoapWsdl
{
    /// <summary>The target namespace of the WSDL and the rpc wrapper elements (inferred: the original is unpublished).</summary>
    public const string Namespace = "urn:api";

    private static readonly XNamespace W = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace S = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace X = "http://www.w3.org/2001/XMLSchema";

    /// <summary>The document for the given endpoint address and its strong ETag.</summary>
    public static (string Xml, string ETag) Render(string address)
    {
        var xml = Build(address).ToString(SaveOptions.None);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)))[..32] + "\"";
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml, etag);
    }

    public static XDocument Build(string address)
    {
        XNamespace tns = Namespace;
        var methods = SoapMethods.All;
        var definitions = new XElement(W + "definitions",
            new XAttribute("name", "POM_SOAP_API"),
            new XAttribute("targetNamespace", Namespace),
            new XAttribute(XNamespace.Xmlns + "tns", Namespace),
            new XAttribute(XNamespace.Xmlns + "wsdl", W.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "soap", S.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "xsd", X.NamespaceName),
            new XElement(W + "types", Schema(methods)));

        foreach (var m in methods)
        {
            definitions.Add(new XElement(W + "message", new XAttribute("name", m.Name + "Request"),
                new XElement(W + "part", new XAttribute("name", "parameters"), new XAttribute("type", "tns:input_" + m.Name))));
            definitions.Add(new XElement(W + "message", new XAttribute("name", m.Name + "Response"),
                new XElement(W + "part", new XAttribute("name", "result"), new XAttribute("type", "tns:Result"))));
        }

        definitions.Add(new XElement(W + "portType", new XAttribute("name", "POMPortType"),
            methods.Select(m => new XElement(W + "operation", new XAttribute("name", m.Name),
                new XElement(W + "input", new XAttribute("message", "tns:" + m.Name + "Request")),
                new XElement(W + "output", new XAttribute("message", "tns:" + m.Name + "Response"))))));

        XElement Body() => new(S + "body", new XAttribute("use", "literal"), new XAttribute("namespace", Namespace));
        definitions.Add(new XElement(W + "binding", new XAttribute("name", "POMBinding"), new XAttribute("type", "tns:POMPortType"),
            new XElement(S + "binding", new XAttribute("style", "rpc"), new XAttribute("transport", "http://schemas.xmlsoap.org/soap/http")),
            methods.Select(m => new XElement(W + "operation", new XAttribute("name", m.Name),
                new XElement(S + "operation", new XAttribute("soapAction", Namespace + "#" + m.Name), new XAttribute("style", "rpc")),
                new XElement(W + "input", Body()),
                new XElement(W + "output", Body())))));

        definitions.Add(new XElement(W + "service", new XAttribute("name", "POM_SOAP_API"),
            new XElement(W + "port", new XAttribute("name", "POMPort"), new XAttribute("binding", "tns:POMBinding"),
                new XElement(S + "address", new XAttribute("location", address)))));
        return new XDocument(definitions);
    }

    private static XElement Element(string name, string type, int minOccurs = 0, bool repeated = false)
    {
        var e = new XElement(X + "element", new XAttribute("name", name), new XAttribute("type", type), new XAttribute("minOccurs", minOccurs));
        if (repeated) e.Add(new XAttribute("maxOccurs", "unbounded"));
        return e;
    }

    private static XElement Complex(string name, params object[] content) =>
        new(X + "complexType", new XAttribute("name", name), new XElement(X + "sequence", content));

    /// <summary>The entities a result or a collection's <c>items</c> can hold, by element name and type.</summary>
    private static IEnumerable<XElement> Entities() =>
    [
        Element("database", "tns:Database", 1),
        Element("databasefield", "tns:DatabaseField", 1),
        Element("collectionfield", "tns:DatabaseField", 1),
        Element("interest", "tns:Interest", 1),
        Element("collection", "tns:Collection", 1),
        Element("profile", "tns:Profile", 1),
        Element("subprofile", "tns:SubProfile", 1),
    ];

    private static XElement Schema(IReadOnlyList<SoapMethod> methods) => new(X + "schema",
        new XAttribute("targetNamespace", Namespace),
        new XAttribute("elementFormDefault", "unqualified"),
        Complex("Pair", Element("key", "xsd:string", 1), Element("value", "xsd:string", 1)),
        Complex("Map", Element("pair", "tns:Pair", repeated: true)),
        Complex("Array", Element("item", "xsd:string", repeated: true)),
        Complex("Requirement", Element("fieldname", "xsd:string", 1), Element("casesensitive", "xsd:boolean"), Element("operator", "xsd:string"), Element("value", "xsd:string")),
        Complex("Login", Element("username", "xsd:string", 1), Element("account", "xsd:string", 1), Element("password", "xsd:string", 1)),
        Complex("Caller", Element("followups", "xsd:boolean"), Element("caller", "xsd:string"), Element("identity", "xsd:string")),
        Complex("CollectionRef", Element("id", "xsd:string"), Element("name", "xsd:string")),
        Complex("Database", Element("id", "xsd:int"), Element("name", "xsd:string"), Element("description", "xsd:string"), Element("archived", "xsd:boolean"),
            Element("created", "xsd:string"), Element("unsubscribebehavior", "xsd:string")),
        Complex("DatabaseField", Element("id", "xsd:int"), Element("name", "xsd:string"), Element("type", "xsd:string"), Element("value", "xsd:string"),
            Element("display", "xsd:boolean"), Element("ordered", "xsd:boolean"), Element("length", "xsd:int"), Element("textlines", "xsd:int"),
            Element("hidden", "xsd:boolean"), Element("index", "xsd:boolean")),
        Complex("Profile", Element("id", "xsd:int"), Element("code", "xsd:string"), Element("created", "xsd:string"), Element("modified", "xsd:string"),
            Element("fields", "tns:Map"), Element("interests", "tns:Map")),
        Complex("Interest", Element("id", "xsd:int"), Element("name", "xsd:string"), Element("group", "xsd:string")),
        Complex("Collection", Element("id", "xsd:int"), Element("name", "xsd:string"), Element("database", "xsd:int"), Element("created", "xsd:string"),
            Element("unsubscribebehavior", "xsd:string")),
        Complex("SubProfile", Element("id", "xsd:int"), Element("profile", "xsd:int"), Element("code", "xsd:string"), Element("created", "xsd:string"),
            Element("modified", "xsd:string"), Element("fields", "tns:Map")),
        new XElement(X + "complexType", new XAttribute("name", "Items"),
            new XElement(X + "choice", new XAttribute("minOccurs", 0), new XAttribute("maxOccurs", "unbounded"),
                Entities())),
        new XElement(X + "complexType", new XAttribute("name", "Result"),
            new XElement(X + "choice", new XAttribute("minOccurs", 0),
                Element("value", "xsd:string", 1),
                Element("array", "tns:Array", 1),
                Element("map", "tns:Map", 1),
                new XElement(X + "sequence", Element("start", "xsd:int", 1), Element("length", "xsd:int", 1), Element("total", "xsd:int", 1), Element("items", "tns:Items", 1)),
                Entities())),
        methods.Select(m => Complex("input_" + m.Name,
            Members(m))));

    /// <summary>A method's members, then <c>access_token</c> and (but for <c>login</c> itself) the <c>login</c> structure every Copernica method takes.</summary>
    private static object[] Members(SoapMethod m)
    {
        var members = m.Parameters.Select(p => Element(p.Name, p.Type, repeated: p.Repeated)).Append(Element("access_token", "xsd:string"));
        return (m == SoapAuthentication.Login ? members : members.Append(Element("login", "tns:Login"))).ToArray<object>();
    }
}
