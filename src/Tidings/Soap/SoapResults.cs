using System.Globalization;
using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rest;

namespace Tidings.Soap;

/// <summary>
/// The shapes of a call's <c>result</c> (copernica-apis.md §2.4): a scalar <c>value</c> (booleans as <c>1</c>), a
/// <c>map</c> of pairs, a collection (<c>start</c>, <c>length</c>, <c>total</c>, <c>items</c>) or an entity as the first
/// child; nothing at all for "not found" where Copernica answers an empty result. Members are unqualified.
/// </summary>
internal static class SoapResults
{
    public static XElement Empty() => new("result");

    public static XElement Value(string value) => new("result", new XElement("value", value));

    public static XElement True() => Value("1");

    public static XElement Entity(XElement entity) => new("result", entity);

    public static XElement Map(IEnumerable<(string Key, string Value)> pairs) => new("result", MapElement("map", pairs));

    public static XElement Listing(long start, long length, long total, IEnumerable<XElement> items) => new("result",
        new XElement("start", Int(start)), new XElement("length", Int(length)), new XElement("total", Int(total)), new XElement("items", items));

    public static XElement MapElement(string name, IEnumerable<(string Key, string Value)> pairs) =>
        new(name, pairs.Select(p => new XElement("pair", new XElement("key", p.Key), new XElement("value", p.Value))));

    public static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Flag(bool b) => b ? "1" : "0";

    public static XElement Database(DatabaseRecord d, CopernicaTime time) => new("database",
        new XElement("id", Int(d.Id)),
        new XElement("name", d.Name),
        new XElement("description", d.Description),
        new XElement("archived", Flag(d.Archived)),
        new XElement("created", time.FormatMs(d.Created)),
        new XElement("unsubscribebehavior", d.UnsubscribeBehavior));

    /// <summary>A field: a <c>databasefield</c>, or a <c>collectionfield</c> when it belongs to a collection.</summary>
    public static XElement Field(FieldDefinition f) => new(f.CollectionId == 0 ? "databasefield" : "collectionfield",
        new XElement("id", Int(f.Id)),
        new XElement("name", f.Name),
        new XElement("type", f.Type),
        new XElement("value", f.DefaultValue),
        new XElement("display", Flag(f.Displayed)),
        new XElement("ordered", Flag(f.Ordered)),
        new XElement("length", Int(f.Length)),
        new XElement("textlines", Int(f.Textlines)),
        new XElement("hidden", Flag(f.Hidden)),
        new XElement("index", Flag(f.Indexed)));

    public static XElement Interest(InterestRecord i) => new("interest",
        new XElement("id", Int(i.Id)),
        new XElement("name", i.Name),
        new XElement("group", i.Group));

    /// <summary>A collection; <c>database</c> (its database's id) is Tidings' own addition.</summary>
    public static XElement Collection(CollectionRecord c, CopernicaTime time) => new("collection",
        new XElement("id", Int(c.Id)),
        new XElement("name", c.Name),
        new XElement("database", Int(c.DatabaseId)),
        new XElement("created", time.FormatMs(c.Created)),
        new XElement("unsubscribebehavior", c.UnsubscribeBehavior));

    /// <summary>A subprofile with its fields; <c>profile</c> (its profile's id) is Tidings' own addition.</summary>
    public static XElement SubProfile(ValueTable table, ValueRow row, CopernicaTime time) => new("subprofile",
        new XElement("id", Int(row.Id)),
        new XElement("profile", Int(row.ProfileId)),
        new XElement("code", row.Secret),
        new XElement("created", time.FormatMs(row.Created)),
        new XElement("modified", time.FormatMs(row.Modified)),
        MapElement("fields", FieldPairs(table, row)));

    /// <summary>A profile; <c>fields</c> and <c>interests</c> only when <paramref name="allProperties"/>.</summary>
    public static XElement Profile(ValueTable table, ValueRow row, IReadOnlyList<InterestRecord> allInterests, ISet<string> hasInterest, bool allProperties, CopernicaTime time)
    {
        var profile = new XElement("profile",
            new XElement("id", Int(row.Id)),
            new XElement("code", row.Secret),
            new XElement("created", time.FormatMs(row.Created)),
            new XElement("modified", time.FormatMs(row.Modified)));
        if (allProperties)
        {
            profile.Add(MapElement("fields", FieldPairs(table, row)));
            profile.Add(MapElement("interests", allInterests.Select(i => (i.Name, Flag(hasInterest.Contains(i.Name))))));
        }

        return profile;
    }

    public static IEnumerable<(string Key, string Value)> FieldPairs(ValueTable table, ValueRow row)
    {
        var values = FieldValues.Of(table, row);
        return values.Fields.Select((f, i) => (f.Name, values.Values[i]));
    }
}
