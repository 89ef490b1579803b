using System.Text.Json.Nodes;
using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Collection_*</c> methods: a collection, its fields, its removal, and its subprofiles.</summary>
internal static class SoapCollectionMethods
{
    /// <summary>
    /// What <c>Collection_createField</c> takes: Copernica's <c>name</c>, <c>display</c> and <c>specialcontent</c>, and
    /// everything REST's <c>POST collection/{id}/fields</c> takes (<c>displayed</c> too).
    /// </summary>
    private static readonly SoapParameter[] FieldParameters =
    [
        Id, new("name", "xsd:string"), new("display", "xsd:boolean"), new("type", "xsd:string"), new("value", "xsd:string"),
        new("displayed", "xsd:boolean"), new("ordered", "xsd:boolean"), new("length", "xsd:int"), new("textlines", "xsd:int"),
        new("hidden", "xsd:boolean"), new("index", "xsd:boolean"), new("lock", "xsd:boolean"), new("specialcontent", "xsd:string"),
    ];

    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Collection_retrieve", false, [Id], CollectionRetrieve),
        new("Collection_fields", false, [Id], CollectionFields),
        new("Collection_field", false, [Id, new("identifier", "xsd:string")], CollectionField),
        new("Collection_createField", true, FieldParameters, CollectionCreateField),
        new("Collection_remove", true, [Id], CollectionRemove),
        new("Collection_searchSubProfiles", false,
            [Id, Requirements, new("order", "xsd:string"), new("asc", "xsd:boolean"), Start, Length, AllProperties],
            CollectionSearchSubProfiles),
        new("Collection_removeSubProfiles", true, [Id, Requirements], CollectionRemoveSubProfiles),
    ];

    /// <summary>The collection named by the <c>id</c> member (an id: collection names are only unique within a database).</summary>
    private static Task<CollectionRecord> CollectionAsync(SoapCall call) =>
        call.Get<CollectionService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    private static async Task<XElement> CollectionRetrieve(SoapCall call) =>
        SoapResults.Entity(SoapResults.Collection(await CollectionAsync(call), call.Get<CopernicaTime>()));

    private static async Task<XElement> CollectionFields(SoapCall call)
    {
        var collection = await CollectionAsync(call);
        var fields = await call.Get<FieldService>().ListAsync(FieldOwner.Of(collection), call.Ct);
        return SoapResults.Listing(0, fields.Count, fields.Count, fields.Select(SoapResults.Field));
    }

    /// <summary>
    /// One field of the collection by id or name (<c>identifier</c>; inferred, as <c>Account_database</c> names its
    /// database); an empty result, not a Fault, when the collection has no such field, as <c>Account_database</c> answers.
    /// </summary>
    private static async Task<XElement> CollectionField(SoapCall call)
    {
        var collection = await CollectionAsync(call);
        var identifier = call.Parameters.Required("identifier");
        try
        {
            return SoapResults.Entity(SoapResults.Field(await call.Get<FieldService>().RequireAsync(FieldOwner.Of(collection), identifier, call.Ct)));
        }
        catch (RequestRejectedException)
        {
            return SoapResults.Empty();
        }
    }

    private static async Task<XElement> CollectionCreateField(SoapCall call)
    {
        var collection = await CollectionAsync(call);
        var p = call.Parameters;
        var body = new JsonObject { ["name"] = p.Required("name") };
        foreach (var member in new[] { "type", "value", "ordered", "length", "textlines", "hidden", "index", "lock" })
        {
            if (p.Text(member) is { } text) body[member] = text;
        }

        // Copernica's SOAP says display; REST says displayed. specialcontent 'email' (PomSoapClient) is an email field.
        if ((p.Text("displayed") ?? p.Text("display")) is { } displayed) body["displayed"] = displayed;
        if (body["type"] is null && p.Text("specialcontent")?.Trim().ToLowerInvariant() is { Length: > 0 } special) body["type"] = special;
        var fields = call.Get<FieldService>();
        var owner = FieldOwner.Of(collection);
        var id = await fields.CreateAsync(owner, FieldSpec.From(body), call.Ct);
        return SoapResults.Entity(SoapResults.Field(await fields.RequireAsync(owner, SoapResults.Int(id), call.Ct)));
    }

    /// <summary>Removes the collection, its fields and subprofiles; refused while a webhook is scoped to it (see <see cref="CollectionService.RemoveAsync"/>).</summary>
    private static async Task<XElement> CollectionRemove(SoapCall call)
    {
        await call.Get<CollectionService>().RemoveAsync(await CollectionAsync(call), call.Ct);
        return SoapResults.True();
    }

    /// <summary>
    /// The collection's subprofiles matching the requirements, the search REST's <c>GET collection/{id}/subprofiles</c>
    /// does; their fields only with <c>allproperties</c>, as <c>Database_searchProfiles</c> answers profiles (inferred).
    /// </summary>
    private static async Task<XElement> CollectionSearchSubProfiles(SoapCall call)
    {
        var collection = await CollectionAsync(call);
        var (start, length) = Window(call);
        var p = call.Parameters;
        var order = p.Text("asc") is null ? null : p.Bool("asc") ? "asc" : "desc";
        var search = new ProfileSearch(p.Requirements(), p.Text("order"), order, start, length, WithTotal: true);
        var page = await call.Get<SubprofileService>().SearchAsync(collection, null, search, call.Ct);
        var allProperties = p.Bool("allproperties");
        var time = call.Get<CopernicaTime>();
        var items = page.Rows.Select(row => SubProfileElement(page.Table, row, allProperties, time)).ToList();
        return SoapResults.Listing(start, items.Count, page.Total ?? items.Count, items);
    }

    /// <summary>
    /// Removes the collection's subprofiles matching every requirement, each journaled as the <c>subprofile.delete</c>
    /// REST's <c>DELETE subprofile/{id}</c> journals. The <c>requirements</c> member must be there; an empty one matches
    /// every subprofile (inferred). Answers <c>value</c> 1, as the other removals.
    /// </summary>
    private static async Task<XElement> CollectionRemoveSubProfiles(SoapCall call)
    {
        var collection = await CollectionAsync(call);
        if (call.Parameters.Text("requirements") is null) throw new SoapFaultException("Missing parameter 'requirements'");
        await call.Get<SubprofileService>().BulkDeleteAsync(collection, call.Parameters.Requirements(), Source, call.Ct);
        return SoapResults.True();
    }

    /// <summary>A subprofile element, without its <c>fields</c> unless <paramref name="allProperties"/>.</summary>
    internal static XElement SubProfileElement(ValueTable table, ValueRow row, bool allProperties, CopernicaTime time)
    {
        var element = SoapResults.SubProfile(table, row, time);
        if (!allProperties) element.Element("fields")?.Remove();
        return element;
    }
}
