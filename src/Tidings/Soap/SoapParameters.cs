using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Tidings.Profiles;

namespace Tidings.Soap;

/// <summary>
/// The members of a call's input structure (the <c>parameters</c> part; a call that sends the members straight under
/// the operation element is read the same way). Member names are matched without namespace.
/// </summary>
internal sealed class SoapParameters(XElement structure)
{
    public static SoapParameters Of(XElement operation) =>
        new(operation.Elements().FirstOrDefault(e => e.Name.LocalName == "parameters") ?? operation);

    private XElement? Member(string name) => structure.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public string? Text(string name) => Member(name)?.Value;

    /// <summary>A member that is a structure of its own (such as <c>login</c>), when it is there and has members.</summary>
    public SoapParameters? Structure(string name) => Member(name) is { } member && member.HasElements ? new SoapParameters(member) : null;

    public string Required(string name) =>
        Text(name) is { Length: > 0 } value ? value : throw new SoapFaultException($"Missing parameter '{name}'");

    /// <summary>
    /// A whole-number member; it must fit <c>xsd:int</c>, the type the WSDL gives numeric members, since answers echo
    /// some of them (a listing's <c>start</c>) in <c>xsd:int</c> elements.
    /// </summary>
    public long? Long(string name, long? fallback = null)
    {
        var text = Text(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) throw new SoapFaultException($"Parameter '{name}' is not a whole number");
        return n is >= int.MinValue and <= int.MaxValue ? n : throw new SoapFaultException($"Parameter '{name}' is out of range (xsd:int)");
    }

    public bool Bool(string name) => Text(name)?.Trim().ToLowerInvariant() is "1" or "true" or "yes";

    /// <summary>A <c>Map</c> (<c>pair</c>s of <c>key</c> and <c>value</c>) as a JSON object of text values, the way REST takes fields.</summary>
    public JsonObject? Map(string name)
    {
        if (Member(name) is not { } map) return null;
        var result = new JsonObject();
        foreach (var pair in map.Elements().Where(e => e.Name.LocalName is "pair" or "item"))
        {
            var key = pair.Elements().FirstOrDefault(e => e.Name.LocalName == "key")?.Value;
            if (string.IsNullOrEmpty(key)) throw new SoapFaultException($"A pair of '{name}' has no key");
            result[key] = pair.Elements().FirstOrDefault(e => e.Name.LocalName == "value")?.Value ?? "";
        }

        return result;
    }

    /// <summary>
    /// The <c>requirements</c>: repeated <c>requirements</c> members that each are a requirement, or one holding
    /// <c>requirement</c>/<c>item</c> elements. Copernica's <c>=</c> and <c>&lt;&gt;</c> and <c>LIKE</c> are mapped to
    /// the operators REST's <c>fields[]</c> take. <c>casesensitive</c> true compares <c>=</c>, <c>!=</c> and LIKE on text
    /// exactly; false or absent ignores case, as REST and Copernica's (MySQL) default collation do.
    /// </summary>
    public IReadOnlyList<SearchCondition> Requirements()
    {
        var list = new List<SearchCondition>();
        foreach (var member in structure.Elements().Where(e => e.Name.LocalName == "requirements"))
        {
            var items = member.Elements().Any(e => e.Name.LocalName == "fieldname") ? [member] : member.Elements().ToList();
            foreach (var item in items)
            {
                var r = new SoapParameters(item);
                var op = (r.Text("operator") ?? "=").Trim().ToUpperInvariant() switch
                {
                    "" or "=" or "==" => "==",
                    "!=" or "<>" => "!=",
                    "<" => "<",
                    ">" => ">",
                    "<=" => "<=",
                    ">=" => ">=",
                    "LIKE" or "=~" => "=~",
                    "NOT LIKE" or "!~" => "!~",
                    var other => throw new SoapFaultException($"Unknown operator '{other}' (=, !=, <>, <, >, <=, >=, LIKE, NOT LIKE)"),
                };
                list.Add(new SearchCondition(r.Required("fieldname"), op, r.Text("value") ?? "", CaseSensitive: r.Bool("casesensitive")));
            }
        }

        return list;
    }
}
