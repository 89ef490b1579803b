using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Profile_*</c> methods: one profile, its fields, interests and subprofiles.</summary>
internal static class SoapProfileMethods
{
    private static readonly SoapParameter Interests = new("interests", "tns:Map");

    /// <summary>Copernica's <c>collection</c> structure, <c>{id}</c> or <c>{name}</c>; a plain id or name is taken too.</summary>
    private static readonly SoapParameter Collection = new("collection", "tns:CollectionRef");

    private static readonly SoapParameter Order = new("order", "xsd:string");
    private static readonly SoapParameter Asc = new("asc", "xsd:boolean");
    private static readonly SoapParameter Create = new("create", "xsd:boolean");

    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Profile_retrieve", false, [Id], ProfileRetrieve),
        new("Profile_fields", false, [Id], ProfileFields),
        new("Profile_updateFields", true, [Id, Fields], ProfileUpdateFields),
        new("Profile_interests", false, [Id], ProfileInterests),
        new("Profile_updateInterests", true, [Id, Interests], ProfileUpdateInterests),
        new("Profile_remove", true, [Id], ProfileRemove),
        new("Profile_createSubProfile", true, [Id, Timestamp, Collection, Fields, CallerInfo], ProfileCreateSubProfile),
        new("Profile_searchSubProfiles", false,
            [Id, Timestamp, Collection, Requirements, Order, Asc, Start, Length, AllProperties], ProfileSearchSubProfiles),
        new("Profile_updateSubProfiles", true,
            [Id, Timestamp, Collection, Requirements, Fields, Create, CallerInfo, Start, Length, AllProperties], ProfileUpdateSubProfiles),
    ];

    /// <summary>One profile with its fields and interests (inferred: Copernica's page does not say whether they are included).</summary>
    private static async Task<XElement> ProfileRetrieve(SoapCall call) => SoapResults.Entity(ProfileElement(await ProfileAsync(call), call, allProperties: true));

    /// <summary>A profile's field values as a <c>map</c> (inferred).</summary>
    private static async Task<XElement> ProfileFields(SoapCall call)
    {
        var p = await ProfileAsync(call);
        return SoapResults.Map(SoapResults.FieldPairs(p.Table, p.Row));
    }

    private static async Task<XElement> ProfileUpdateFields(SoapCall call)
    {
        var p = await ProfileAsync(call);
        await call.Get<ProfileService>().UpdateAsync(p, new ProfileChange(RequiredFields(call)), Source, call.Ct);
        return SoapResults.True();
    }

    /// <summary>Every interest of the profile's database, name to <c>1</c> or <c>0</c>, as a <c>map</c> (inferred).</summary>
    private static async Task<XElement> ProfileInterests(SoapCall call)
    {
        var p = await ProfileAsync(call);
        return SoapResults.Map(p.AllInterests.Select(i => (i.Name, SoapResults.Flag(p.Interests.Contains(i.Id)))));
    }

    /// <summary>
    /// Sets (<c>1</c>) or unsets (<c>0</c>) the named interests, as REST's <c>POST /profile/{id}/interests</c> with a map:
    /// interests the map does not name are left as they are; unknown names are ignored.
    /// </summary>
    private static async Task<XElement> ProfileUpdateInterests(SoapCall call)
    {
        var p = await ProfileAsync(call);
        var interests = call.Parameters.Map("interests") ?? throw new SoapFaultException("Missing parameter 'interests'");
        await call.Get<ProfileService>().UpdateAsync(p, new ProfileChange(null, interests), Source, call.Ct);
        return SoapResults.True();
    }

    /// <summary>Removes the profile with its interests and subprofiles, as REST's <c>DELETE /profile/{id}</c>.</summary>
    private static async Task<XElement> ProfileRemove(SoapCall call)
    {
        var p = await ProfileAsync(call);
        await call.Get<ProfileService>().DeleteAsync(p, Source, keepModified: false, call.Ct);
        return SoapResults.True();
    }

    private static async Task<XElement> ProfileCreateSubProfile(SoapCall call)
    {
        var p = await ProfileAsync(call);
        var collection = await CollectionAsync(call, p, CopernicaErrors.SubprofileNotCreated);
        var subprofiles = call.Get<SubprofileService>();
        var id = await subprofiles.CreateAsync(p, collection, RequiredFields(call), Source, call.Ct);
        var s = await subprofiles.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct);
        return SoapResults.Entity(SoapResults.SubProfile(s.Table, s.Row, call.Get<CopernicaTime>()));
    }

    /// <summary>The profile's subprofiles in the collection matching every requirement (none: all of them).</summary>
    private static async Task<XElement> ProfileSearchSubProfiles(SoapCall call)
    {
        var p = await ProfileAsync(call);
        var collection = await CollectionAsync(call, p, CopernicaErrors.NoCollection);
        var (start, length) = Window(call);
        var input = call.Parameters;
        var order = input.Text("asc") is null ? null : input.Bool("asc") ? "asc" : "desc";
        var search = new ProfileSearch(input.Requirements(), input.Text("order"), order, start, length, WithTotal: true);
        var page = await call.Get<SubprofileService>().SearchAsync(collection, p.Row.Id, search, call.Ct);
        var items = SubProfiles(page.Table, page.Rows, call);
        return SoapResults.Listing(start, items.Count, page.Total ?? items.Count, items);
    }

    /// <summary>
    /// Changes the profile's subprofiles in the collection matching every requirement (at least one, as REST's
    /// <c>fields[]</c>), through the same service call as REST's <c>PUT /profile/{id}/subprofiles/{collection}</c>; with
    /// <c>create</c> and no match, creates one. Answers the matched subprofiles as they are after the change (or the
    /// one created), <c>start</c> and <c>length</c> choosing which (inferred).
    /// </summary>
    private static async Task<XElement> ProfileUpdateSubProfiles(SoapCall call)
    {
        var p = await ProfileAsync(call);
        var collection = await CollectionAsync(call, p, CopernicaErrors.NoCollection);
        var input = call.Parameters;
        var requirements = input.Requirements();
        if (requirements.Count == 0) throw new SoapFaultException("Missing parameter 'requirements'");
        var fields = RequiredFields(call);
        var create = input.Bool("create");
        // REST's service would create a subprofile for a removed profile; SOAP refuses, as Profile_createSubProfile does.
        if (create && p.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.SubprofileNotCreated);
        var (start, length) = Window(call);
        var result = await call.Get<SubprofileService>().BulkUpdateListedAsync(p, collection, requirements, fields, create, Source, call.Ct);
        var items = SubProfiles(result.Table, result.Rows.Skip((int)Math.Min(start, int.MaxValue)).Take((int)length), call);
        return SoapResults.Listing(start, items.Count, result.Rows.Count, items);
    }

    /// <summary>
    /// The collection named by the <c>collection</c> member, in the profile's database: its <c>id</c> or its
    /// <c>name</c> (the id when both are given), or a plain id or name.
    /// </summary>
    private static Task<CollectionRecord> CollectionAsync(SoapCall call, ProfileView profile, string notFound)
    {
        var reference = call.Parameters.Structure("collection");
        var idOrName = (reference is null ? call.Parameters.Text("collection") : reference.Text("id") is { Length: > 0 } id ? id : reference.Text("name"))?.Trim();
        if (string.IsNullOrEmpty(idOrName)) throw new SoapFaultException("Missing parameter 'collection'");
        return call.Get<CollectionService>().RequireInAsync(profile.Database, idOrName, notFound, call.Ct);
    }

    /// <summary>Subprofile elements; their <c>fields</c> only with <c>allproperties</c>, as profiles' (inferred).</summary>
    private static List<XElement> SubProfiles(ValueTable table, IEnumerable<ValueRow> rows, SoapCall call)
    {
        var allProperties = call.Parameters.Bool("allproperties");
        var time = call.Get<CopernicaTime>();
        return rows.Select(row =>
        {
            var element = SoapResults.SubProfile(table, row, time);
            if (!allProperties) element.Element("fields")?.Remove();
            return element;
        }).ToList();
    }
}
