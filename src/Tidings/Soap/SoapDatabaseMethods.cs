using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Database_*</c> methods: a database, its fields, interests and collections, and its profiles.</summary>
internal static class SoapDatabaseMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Database_retrieve", false, [Id], DatabaseRetrieve),
        new("Database_fields", false, [Id], DatabaseFields),
        new("Database_createProfile", true, [Id, Fields], DatabaseCreateProfile),
        new("Database_searchProfiles", false,
            [Id, Requirements, new("order", "xsd:string"), new("asc", "xsd:boolean"), Start, Length, AllProperties],
            DatabaseSearchProfiles),
    ];

    private static async Task<XElement> DatabaseRetrieve(SoapCall call) =>
        SoapResults.Entity(SoapResults.Database(await DatabaseAsync(call), call.Get<CopernicaTime>()));

    private static async Task<XElement> DatabaseFields(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = await call.Get<FieldService>().ListAsync(FieldOwner.Of(database), call.Ct);
        return SoapResults.Listing(0, fields.Count, fields.Count, fields.Select(SoapResults.Field));
    }

    private static async Task<XElement> DatabaseCreateProfile(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = RequiredFields(call);
        // The profile as written, not read back: a read connection and six queries were 40 % of the server CPU of this call.
        var created = await call.Get<ProfileService>().CreateViewAsync(database, new ProfileChange(fields), Source, call.Ct);
        return SoapResults.Entity(ProfileElement(created, call, allProperties: true));
    }

    private static async Task<XElement> DatabaseSearchProfiles(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var (start, length) = Window(call);
        var p = call.Parameters;
        var order = p.Text("asc") is null ? null : p.Bool("asc") ? "asc" : "desc";
        var search = new ProfileSearch(p.Requirements(), p.Text("order"), order, start, length, WithTotal: true);
        var page = await call.Get<ProfileService>().SearchAsync(database, search, call.Ct);
        var allProperties = p.Bool("allproperties");
        var interests = allProperties ? await call.Get<InterestService>().ListAsync(database, call.Ct) : [];
        var time = call.Get<CopernicaTime>();
        var items = page.Rows.Select(row =>
        {
            var has = page.Interests.GetValueOrDefault(row.Id)?.Select(i => i!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            return SoapResults.Profile(page.Table, row, interests, has, allProperties, time);
        }).ToList();
        return SoapResults.Listing(start, items.Count, page.Total ?? items.Count, items);
    }
}
