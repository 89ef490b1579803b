using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Tidings.Tests.Soap;

/// <summary>
/// Checks of a WSDL 1.1 document and of SOAP 1.1 envelopes against the published schemas kept in Soap/Schemas (see its
/// README). Each check returns its complaints (empty when the document passes), so that a test can show it failing.
/// Nothing here resolves a URL: every schema set has <c>XmlResolver = null</c>.
/// </summary>
public static class SoapWsdlChecks
{
    public static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    public static readonly XNamespace WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    public static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    public static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";

    private static readonly Lazy<XmlSchemaSet> WsdlSchemas = new(() => Load("wsdl.xsd", "wsdl-soap-binding.xsd"));
    private static readonly Lazy<XmlSchemaSet> EnvelopeSchema = new(() => Load("soap-envelope.xsd"));

    /// <summary>
    /// <c>xml:lang</c> for the envelope schema's <c>faultstring</c>, as http://www.w3.org/2001/xml.xsd declares it; that
    /// schema's import is commented out in the kept copy, and nothing is downloaded here.
    /// </summary>
    private const string XmlNamespaceSchema =
        "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='http://www.w3.org/XML/1998/namespace'>" +
        "<xs:attribute name='lang'><xs:simpleType><xs:union memberTypes='xs:language'><xs:simpleType><xs:restriction base='xs:string'>" +
        "<xs:enumeration value=''/></xs:restriction></xs:simpleType></xs:union></xs:simpleType></xs:attribute></xs:schema>";

    private static XmlSchemaSet Load(params string[] files)
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(XmlSchema.Read(new StringReader(XmlNamespaceSchema), (_, e) => throw e.Exception)!);
        foreach (var file in files)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Soap", "Schemas", file);
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            set.Add(XmlSchema.Read(reader, (_, e) => throw e.Exception)!);
        }

        set.Compile();
        return set;
    }

    /// <summary>
    /// The document against the WSDL 1.1 schema and its SOAP binding schema; every element in those two namespaces must
    /// also have been assessed valid (an element the schemas do not declare is otherwise skipped by lax wildcards).
    /// </summary>
    public static List<string> WsdlSchemaErrors(XDocument wsdl) => Validate(wsdl, WsdlSchemas.Value, Wsdl, WsdlSoap);

    /// <summary>An envelope against the SOAP 1.1 envelope schema.</summary>
    public static List<string> EnvelopeErrors(XDocument envelope) => Validate(envelope, EnvelopeSchema.Value, Env);

    private static List<string> Validate(XDocument document, XmlSchemaSet schemas, params XNamespace[] assessed)
    {
        var errors = new List<string>();
        var copy = new XDocument(document);
        copy.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"), addSchemaInfo: true);
        foreach (var element in copy.Descendants().Where(e => assessed.Contains(e.Name.Namespace)))
        {
            if (element.GetSchemaInfo()?.Validity != XmlSchemaValidity.Valid) errors.Add($"{element.Name} was not assessed valid");
        }

        return errors;
    }

    /// <summary>The schemas under <c>wsdl:types</c>, compiled together; complaints from compiling, and the set.</summary>
    public static (List<string> Errors, XmlSchemaSet Set) EmbeddedSchemas(XDocument wsdl)
    {
        var errors = new List<string>();
        var set = new XmlSchemaSet { XmlResolver = null };
        set.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        var schemas = wsdl.Root!.Elements(Wsdl + "types").Elements(Xsd + "schema").ToList();
        if (schemas.Count == 0) errors.Add("wsdl:types holds no xsd:schema");
        foreach (var schema in schemas)
        {
            // Namespace declarations made on wsdl:definitions are in scope for the schema: carry them over.
            var copy = new XElement(schema);
            foreach (var ns in schema.Ancestors().Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                if (copy.Attribute(ns.Name) is null) copy.Add(new XAttribute(ns.Name, ns.Value));
            }

            set.Add(XmlSchema.Read(copy.CreateReader(), (_, e) => errors.Add($"{e.Severity}: {e.Message}"))!);
        }

        set.Compile();
        return (errors, set);
    }

    /// <summary>Every message part names exactly one of <c>type</c> and <c>element</c>, and it resolves in the embedded schema (or is built into XML Schema).</summary>
    public static List<string> UnresolvedParts(XDocument wsdl, XmlSchemaSet embedded)
    {
        var errors = new List<string>();
        foreach (var part in wsdl.Root!.Elements(Wsdl + "message").Elements(Wsdl + "part"))
        {
            var where = $"part '{part.Attribute("name")?.Value}' of message '{part.Parent!.Attribute("name")?.Value}'";
            var type = part.Attribute("type");
            var element = part.Attribute("element");
            if ((type is null) == (element is null))
            {
                errors.Add($"{where} must name one of type and element");
                continue;
            }

            var name = Resolve(part, (type ?? element)!.Value);
            if (name is null)
            {
                errors.Add($"{where}: prefix of '{(type ?? element)!.Value}' is not declared");
            }
            else if (type is not null && embedded.GlobalTypes[name] is null && XmlSchemaType.GetBuiltInSimpleType(name) is null && name != new XmlQualifiedName("anyType", Xsd.NamespaceName))
            {
                errors.Add($"{where}: type {name} is not defined");
            }
            else if (element is not null && embedded.GlobalElements[name] is null)
            {
                errors.Add($"{where}: element {name} is not declared");
            }
        }

        return errors;
    }

    /// <summary>
    /// The references between the WSDL's parts hold: every binding operation is an operation of the binding's portType
    /// with the same input and output, every portType operation is bound, each names messages that exist, the SOAP
    /// binding is rpc/literal with a <c>soap:operation</c> each, and the port's binding exists.
    /// </summary>
    public static List<string> ReferenceErrors(XDocument wsdl)
    {
        var errors = new List<string>();
        var root = wsdl.Root!;
        var target = root.Attribute("targetNamespace")?.Value ?? "";
        XmlQualifiedName Own(string name) => new(name, target);

        var messages = root.Elements(Wsdl + "message").Select(m => Own(m.Attribute("name")!.Value)).ToHashSet();
        var portTypes = root.Elements(Wsdl + "portType").ToDictionary(p => Own(p.Attribute("name")!.Value));
        var bindings = root.Elements(Wsdl + "binding").ToDictionary(b => Own(b.Attribute("name")!.Value));

        foreach (var (name, portType) in portTypes)
        {
            foreach (var op in portType.Elements(Wsdl + "operation"))
            {
                foreach (var io in op.Elements().Where(e => e.Name == Wsdl + "input" || e.Name == Wsdl + "output"))
                {
                    var message = Resolve(io, io.Attribute("message")?.Value ?? "");
                    if (message is null || !messages.Contains(message)) errors.Add($"portType operation '{op.Attribute("name")?.Value}' {io.Name.LocalName} names a missing message '{io.Attribute("message")?.Value}'");
                }
            }
        }

        foreach (var (bindingName, binding) in bindings)
        {
            var typeName = Resolve(binding, binding.Attribute("type")?.Value ?? "");
            if (typeName is null || !portTypes.TryGetValue(typeName, out var portType))
            {
                errors.Add($"binding '{bindingName.Name}' names a missing portType '{binding.Attribute("type")?.Value}'");
                continue;
            }

            var soapBinding = binding.Element(WsdlSoap + "binding");
            if (soapBinding?.Attribute("style")?.Value != "rpc") errors.Add($"binding '{bindingName.Name}' is not a SOAP rpc binding");
            var abstractOps = portType.Elements(Wsdl + "operation").ToDictionary(o => o.Attribute("name")!.Value, StringComparer.Ordinal);
            var boundNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var op in binding.Elements(Wsdl + "operation"))
            {
                var name = op.Attribute("name")!.Value;
                if (!boundNames.Add(name)) errors.Add($"operation '{name}' is bound twice");
                if (!abstractOps.TryGetValue(name, out var abstractOp))
                {
                    errors.Add($"binding operation '{name}' is not an operation of portType '{typeName.Name}'");
                    continue;
                }

                if (op.Element(WsdlSoap + "operation") is null) errors.Add($"binding operation '{name}' has no soap:operation");
                foreach (var io in new[] { "input", "output" })
                {
                    var bound = op.Element(Wsdl + io);
                    if ((bound is null) != (abstractOp.Element(Wsdl + io) is null)) errors.Add($"binding operation '{name}' and its portType operation differ in having an {io}");
                    if (bound is not null && bound.Element(WsdlSoap + "body")?.Attribute("use")?.Value != "literal") errors.Add($"binding operation '{name}' {io} is not soap:body use=\"literal\"");
                }
            }

            foreach (var name in abstractOps.Keys.Where(n => !boundNames.Contains(n))) errors.Add($"portType operation '{name}' is not bound by '{bindingName.Name}'");
        }

        foreach (var port in root.Elements(Wsdl + "service").Elements(Wsdl + "port"))
        {
            var binding = Resolve(port, port.Attribute("binding")?.Value ?? "");
            if (binding is null || !bindings.ContainsKey(binding)) errors.Add($"port '{port.Attribute("name")?.Value}' names a missing binding");
            if (port.Element(WsdlSoap + "address")?.Attribute("location")?.Value is not { Length: > 0 }) errors.Add($"port '{port.Attribute("name")?.Value}' has no soap:address");
        }

        if (portTypes.Count == 0 || bindings.Count == 0) errors.Add("the WSDL has no portType or no binding");
        return errors;
    }

    /// <summary>A QName attribute value resolved against the namespaces in scope at <paramref name="at"/>.</summary>
    private static XmlQualifiedName? Resolve(XElement at, string qname)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? "" : qname[..colon];
        var ns = prefix.Length == 0 ? at.GetDefaultNamespace() : at.GetNamespaceOfPrefix(prefix);
        return ns is null ? null : new XmlQualifiedName(qname[(colon + 1)..], ns.NamespaceName);
    }
}
