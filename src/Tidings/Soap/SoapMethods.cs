using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Soap;

/// <summary>A member of a method's input structure: its name, XML Schema type (<c>xsd:…</c> or <c>tns:…</c>) and whether it repeats.</summary>
internal sealed record SoapParameter(string Name, string Type, bool Repeated = false);

/// <summary>What a method runs with: the caller, its input structure, the request's services and cancellation.</summary>
internal sealed record SoapCall(Caller Caller, SoapParameters Parameters, IServiceProvider Services, CancellationToken Ct)
{
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}

/// <summary>One SOAP method: the WSDL is generated from these entries and calls are dispatched on them.</summary>
internal sealed record SoapMethod(string Name, bool Writes, SoapParameter[] Parameters, Func<SoapCall, Task<XElement>> Run);

/// <summary>
/// Every SOAP method, in WSDL order. Each goes through the same feature services as REST (never SQL of its own);
/// changes are journaled with source <c>soap</c>. Adding a method is one entry here.
/// </summary>
internal static class SoapMethods
{
    /// <summary>What the journal records as the source of changes made through the SOAP API.</summary>
    public const string Source = "soap";

    private static readonly SoapParameter Id = new("id", "xsd:string");
    private static readonly SoapParameter Start = new("start", "xsd:int");
    private static readonly SoapParameter Length = new("length", "xsd:int");
    private static readonly SoapParameter AllProperties = new("allproperties", "xsd:boolean");
    private static readonly SoapParameter Fields = new("fields", "tns:Map");

    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Account_databases", false, [Start, Length], AccountDatabases),
        new("Account_database", false, [new("identifier", "xsd:string")], AccountDatabase),
        new("Account_createDatabase", true, [new("name", "xsd:string"), new("description", "xsd:string")], AccountCreateDatabase),
        new("Database_retrieve", false, [Id], DatabaseRetrieve),
        new("Database_fields", false, [Id], DatabaseFields),
        new("Database_createProfile", true, [Id, Fields], DatabaseCreateProfile),
        new("Database_searchProfiles", false,
            [Id, new("requirements", "tns:Requirement", Repeated: true), new("order", "xsd:string"), new("asc", "xsd:boolean"), Start, Length, AllProperties],
            DatabaseSearchProfiles),
        new("Profile_retrieve", false, [Id], ProfileRetrieve),
        new("Profile_fields", false, [Id], ProfileFields),
        new("Profile_updateFields", true, [Id, Fields], ProfileUpdateFields),
    ];

    private static readonly Dictionary<string, SoapMethod> ByName = All.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static SoapMethod? Find(string name) => ByName.GetValueOrDefault(name);

    private static (long Start, long Length) Window(SoapCall call)
    {
        var rest = call.Get<IOptions<RestOptions>>().Value;
        var start = Math.Max(0, call.Parameters.Long("start", 0)!.Value);
        var length = Math.Clamp(call.Parameters.Long("length", rest.DefaultLimit)!.Value, 0, rest.MaxLimit);
        return (start, length);
    }

    private static async Task<XElement> AccountDatabases(SoapCall call)
    {
        var (start, length) = Window(call);
        var (items, total) = await call.Get<DatabaseService>().ListAsync(call.Caller.AccountId, start, length, call.Ct);
        var time = call.Get<CopernicaTime>();
        return SoapResults.Collection(start, items.Count, total, items.Select(d => SoapResults.Database(d.Database, time)));
    }

    /// <summary>The database of that name; an empty result (not a Fault) when there is none, as PomSoapClient expects.</summary>
    private static async Task<XElement> AccountDatabase(SoapCall call)
    {
        var name = call.Parameters.Required("identifier");
        try
        {
            var found = await call.Get<DatabaseService>().RequireAsync(call.Caller.AccountId, name, call.Ct);
            return SoapResults.Entity(SoapResults.Database(found, call.Get<CopernicaTime>()));
        }
        catch (RequestRejectedException)
        {
            return SoapResults.Empty();
        }
    }

    private static async Task<XElement> AccountCreateDatabase(SoapCall call)
    {
        var databases = call.Get<DatabaseService>();
        var id = await databases.CreateAsync(call.Caller.AccountId, new DatabaseChange(call.Parameters.Required("name"), call.Parameters.Text("description")), call.Ct);
        return SoapResults.Entity(SoapResults.Database(await databases.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct), call.Get<CopernicaTime>()));
    }

    private static Task<DatabaseRecord> DatabaseAsync(SoapCall call) =>
        call.Get<DatabaseService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    private static async Task<XElement> DatabaseRetrieve(SoapCall call) =>
        SoapResults.Entity(SoapResults.Database(await DatabaseAsync(call), call.Get<CopernicaTime>()));

    private static async Task<XElement> DatabaseFields(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = await call.Get<FieldService>().ListAsync(FieldOwner.Of(database), call.Ct);
        return SoapResults.Collection(0, fields.Count, fields.Count, fields.Select(SoapResults.Field));
    }

    private static async Task<XElement> DatabaseCreateProfile(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = call.Parameters.Map("fields") ?? throw new SoapFaultException("Missing parameter 'fields'");
        var profiles = call.Get<ProfileService>();
        var id = await profiles.CreateAsync(database, new ProfileChange(fields), Source, call.Ct);
        return SoapResults.Entity(ProfileElement(await profiles.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct), call, allProperties: true));
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
        return SoapResults.Collection(start, items.Count, page.Total ?? items.Count, items);
    }

    private static Task<ProfileView> ProfileAsync(SoapCall call) =>
        call.Get<ProfileService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    private static XElement ProfileElement(ProfileView p, SoapCall call, bool allProperties)
    {
        var has = p.AllInterests.Where(i => p.Interests.Contains(i.Id)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return SoapResults.Profile(p.Table, p.Row, p.AllInterests, has, allProperties, call.Get<CopernicaTime>());
    }

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
        var fields = call.Parameters.Map("fields") ?? throw new SoapFaultException("Missing parameter 'fields'");
        await call.Get<ProfileService>().UpdateAsync(p, new ProfileChange(fields), Source, call.Ct);
        return SoapResults.True();
    }
}
