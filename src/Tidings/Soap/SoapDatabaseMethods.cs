using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Database_*</c> methods: a database, its fields, interests and collections, and its profiles.</summary>
internal static class SoapDatabaseMethods
{
    // Declared before All, which uses them: static fields are initialised in order.
    private static readonly SoapParameter Name = new("name", "xsd:string");
    private static readonly SoapParameter Identifier = new("identifier", "xsd:string");

    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Database_retrieve", false, [Id], DatabaseRetrieve),
        new("Database_update", true, [Id, Name, new("description", "xsd:string"), new("archived", "xsd:boolean")], DatabaseUpdate),
        new("Database_remove", true, [Id], DatabaseRemove),
        new("Database_fields", false, [Id], DatabaseFields),
        new("Database_field", false, [Id, Identifier], DatabaseField),
        new("Database_createField", true,
            [Id, Name, new("type", "xsd:string"), new("value", "xsd:string"), new("display", "xsd:boolean"), new("ordered", "xsd:boolean"),
             new("length", "xsd:int"), new("textlines", "xsd:int"), new("hidden", "xsd:boolean"), new("index", "xsd:boolean"),
             new("specialcontent", "xsd:string")],
            DatabaseCreateField),
        new("Database_interests", false, [Id], DatabaseInterests),
        new("Database_createInterest", true, [Id, Name, new("group", "xsd:string")], DatabaseCreateInterest),
        new("Database_collections", false, [Id, AllProperties], DatabaseCollections),
        new("Database_createCollection", true, [Id, Name], DatabaseCreateCollection),
        new("Database_createProfile", true, [Id, Fields], DatabaseCreateProfile),
        new("Database_searchProfiles", false,
            [Id, Requirements, new("order", "xsd:string"), new("asc", "xsd:boolean"), Start, Length, AllProperties],
            DatabaseSearchProfiles),
        new("Database_updateProfiles", true,
            [Id, Requirements, Fields, new("create", "xsd:boolean"), new("async", "xsd:boolean"), Start, Length, AllProperties, CallerInfo],
            DatabaseUpdateProfiles),
        new("Database_removeProfiles", true, [Id, Requirements], DatabaseRemoveProfiles),
        new("Database_unsubscribeValues", false, [Id], DatabaseUnsubscribeValues),
        new("Database_setUnsubscribeValues", true, [Id, Fields, new("behavior", "xsd:string")], DatabaseSetUnsubscribeValues),
    ];

    private static async Task<XElement> DatabaseRetrieve(SoapCall call) =>
        SoapResults.Entity(SoapResults.Database(await DatabaseAsync(call), call.Get<CopernicaTime>()));

    /// <summary>
    /// Changes the name, description or archived flag (members left out stay as they are) and answers the database as
    /// it is now (inferred: Copernica's page gives neither members nor answer; <c>SubProfile_update</c> answers its entity).
    /// </summary>
    private static async Task<XElement> DatabaseUpdate(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var p = call.Parameters;
        var databases = call.Get<DatabaseService>();
        await databases.UpdateAsync(database, new DatabaseChange(p.Text("name"), p.Text("description"), OptionalBool(p, "archived")), call.Ct);
        return SoapResults.Entity(SoapResults.Database(await databases.RequireAsync(call.Caller.AccountId, SoapResults.Int(database.Id), call.Ct), call.Get<CopernicaTime>()));
    }

    /// <summary>Removes the database and everything in it; <c>value</c> 1. Refused while webhooks are scoped to it or mailings went to it.</summary>
    private static async Task<XElement> DatabaseRemove(SoapCall call)
    {
        await call.Get<DatabaseService>().RemoveAsync(await DatabaseAsync(call), call.Ct);
        return SoapResults.True();
    }

    private static async Task<XElement> DatabaseFields(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = await call.Get<FieldService>().ListAsync(FieldOwner.Of(database), call.Ct);
        return SoapResults.Listing(0, fields.Count, fields.Count, fields.Select(SoapResults.Field));
    }

    /// <summary>
    /// One field by name or id (<c>identifier</c>, as <c>Account_database</c> takes it); an empty result when the database
    /// has no such field, as <c>Account_database</c> answers for a name it does not know (inferred).
    /// </summary>
    private static async Task<XElement> DatabaseField(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var identifier = call.Parameters.Required("identifier");
        try
        {
            return SoapResults.Entity(SoapResults.Field(await call.Get<FieldService>().RequireAsync(FieldOwner.Of(database), identifier, call.Ct)));
        }
        catch (RequestRejectedException)
        {
            return SoapResults.Empty();
        }
    }

    /// <summary>
    /// Adds a field: Copernica's <c>name</c>, <c>display</c> and <c>specialcontent</c>, and what REST's field create
    /// takes (<c>type</c>, <c>value</c>, <c>ordered</c>, <c>length</c>, <c>textlines</c>, <c>hidden</c>, <c>index</c>).
    /// <c>specialcontent</c> picks the type when <c>type</c> is not given: <c>email</c>, <c>fax</c> (phone_fax) or
    /// <c>mobile</c>/<c>sms</c> (phone_gsm) (inferred: only <c>email</c> is seen in a client). Answers the
    /// <c>databasefield</c> (inferred: the test client ignores the answer; <c>Collection_createField</c> answers its field).
    /// </summary>
    private static async Task<XElement> DatabaseCreateField(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var p = call.Parameters;
        var name = p.Required("name");
        var type = p.Text("type") is { Length: > 0 } given ? given.Trim().ToLowerInvariant() : SpecialContentType(p.Text("specialcontent"));
        var spec = new FieldSpec(name, type, p.Text("value"), OptionalBool(p, "display"), OptionalBool(p, "ordered"), p.Long("length"), p.Long("textlines"),
            OptionalBool(p, "hidden"), OptionalBool(p, "index"), null);
        var owner = FieldOwner.Of(database);
        var fields = call.Get<FieldService>();
        var id = await fields.CreateAsync(owner, spec, call.Ct);
        return SoapResults.Entity(SoapResults.Field(await fields.RequireAsync(owner, SoapResults.Int(id), call.Ct)));
    }

    private static string? SpecialContentType(string? specialContent) => specialContent?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "email" => "email",
        "fax" => "phone_fax",
        "mobile" or "sms" or "gsm" => "phone_gsm",
        var other => throw new SoapFaultException($"Unknown specialcontent '{other}' (email, fax, mobile)"),
    };

    /// <summary>The database's interests, all of them in one listing.</summary>
    private static async Task<XElement> DatabaseInterests(SoapCall call)
    {
        var interests = await call.Get<InterestService>().ListAsync(await DatabaseAsync(call), call.Ct);
        return SoapResults.Listing(0, interests.Count, interests.Count, interests.Select(SoapResults.Interest));
    }

    /// <summary>Adds an interest (<c>name</c>, <c>group</c>) and answers it as an <c>interest</c> (inferred).</summary>
    private static async Task<XElement> DatabaseCreateInterest(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var interests = call.Get<InterestService>();
        var id = await interests.CreateAsync(database, new InterestChange(call.Parameters.Required("name"), call.Parameters.Text("group")), call.Ct);
        return SoapResults.Entity(SoapResults.Interest(await interests.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct)));
    }

    /// <summary>
    /// The database's collections, all in one listing. <c>allproperties</c> is accepted and changes nothing: a
    /// <c>collection</c> always carries every property Tidings keeps (inferred).
    /// </summary>
    private static async Task<XElement> DatabaseCollections(SoapCall call)
    {
        var collections = await call.Get<CollectionService>().ListAsync(await DatabaseAsync(call), call.Ct);
        var time = call.Get<CopernicaTime>();
        return SoapResults.Listing(0, collections.Count, collections.Count, collections.Select(c => SoapResults.Collection(c.Collection, time)));
    }

    private static async Task<XElement> DatabaseCreateCollection(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var collections = call.Get<CollectionService>();
        var id = await collections.CreateAsync(database, new DatabaseChange(call.Parameters.Required("name"), null), call.Ct);
        return SoapResults.Entity(SoapResults.Collection(await collections.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct), call.Get<CopernicaTime>()));
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

    /// <summary>
    /// Sets <c>fields</c> on every profile matching all <c>requirements</c> (REST's <c>PUT database/{id}/profiles</c>,
    /// the same service call); with <c>create</c> and no match, creates one. Answers the matched profiles (or the one
    /// created), a <c>start</c>/<c>length</c> window of them. At least one requirement is needed, so that a forgotten
    /// member cannot change every profile; <c>async</c> is accepted and the update is always done before the answer (inferred).
    /// </summary>
    private static async Task<XElement> DatabaseUpdateProfiles(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var p = call.Parameters;
        var requirements = RequiredRequirements(call);
        var fields = RequiredFields(call);
        var (start, length) = Window(call);
        var profiles = call.Get<ProfileService>();
        var (matched, _, created) = await profiles.BulkUpdateMatchingAsync(database, requirements, new ProfileChange(fields), p.Bool("create"), Source, call.Ct);
        IReadOnlyList<long> ids = created is { } newId ? [newId] : matched;
        var allProperties = p.Bool("allproperties");
        var items = new List<XElement>();
        foreach (var id in ids.Skip((int)Math.Min(start, int.MaxValue)).Take((int)length))
        {
            items.Add(ProfileElement(await profiles.RequireAsync(call.Caller.AccountId, SoapResults.Int(id), call.Ct), call, allProperties));
        }

        return SoapResults.Listing(start, items.Count, ids.Count, items);
    }

    /// <summary>
    /// Removes every profile matching all <c>requirements</c> (at least one), all or nothing, at most
    /// <c>Rest:MaxBulkDelete</c> at once, as REST's bulk delete; <c>value</c> 1 (inferred).
    /// </summary>
    private static async Task<XElement> DatabaseRemoveProfiles(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var requirements = RequiredRequirements(call);
        var profiles = call.Get<ProfileService>();
        // One more than may be removed at once: the service then refuses with its own message, and nothing is removed.
        var take = call.Get<IOptions<ProfileLimits>>().Value.MaxBulkDelete + 1L;
        var page = await profiles.SearchAsync(database, new ProfileSearch(requirements, "id", null, 0, take, WithTotal: false), call.Ct);
        if (page.Rows.Count > 0) await profiles.BulkDeleteAsync(database, page.Rows.Select(r => r.Id).ToList(), Source, keepModified: false, call.Ct);
        return SoapResults.True();
    }

    /// <summary>
    /// The field values a profile gets when it unsubscribes, as a <c>map</c> (REST's <c>fields</c> of
    /// <c>GET database/{id}/unsubscribe</c>); the behaviour is the database's <c>unsubscribebehavior</c> (inferred).
    /// </summary>
    private static async Task<XElement> DatabaseUnsubscribeValues(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var values = JsonNode.Parse(database.UnsubscribeFields) as JsonObject ?? [];
        return SoapResults.Map(values.Select(v => (v.Key, v.Value is null ? "" : FieldTypes.ToScalarText(v.Value) ?? v.Value.ToJsonString())));
    }

    /// <summary>
    /// Sets the values (<c>fields</c>) and the behaviour (<c>behavior</c>: nothing, remove or update) as REST's
    /// <c>PUT database/{id}/unsubscribe</c> does; values given without a behaviour make it <c>update</c>, so that they are
    /// used (inferred). <c>value</c> 1.
    /// </summary>
    private static async Task<XElement> DatabaseSetUnsubscribeValues(SoapCall call)
    {
        var database = await DatabaseAsync(call);
        var fields = call.Parameters.Map("fields");
        var behavior = call.Parameters.Text("behavior") is { Length: > 0 } given ? given : fields is null ? null : "update";
        if (fields is null && behavior is null) throw new SoapFaultException("Missing parameter 'fields'");
        await call.Get<DatabaseService>().SetUnsubscribeAsync(database, new UnsubscribeChange(behavior, fields), call.Ct);
        return SoapResults.True();
    }

    private static IReadOnlyList<SearchCondition> RequiredRequirements(SoapCall call) =>
        call.Parameters.Requirements() is { Count: > 0 } list ? list : throw new SoapFaultException("Missing parameter 'requirements'");

    /// <summary>A boolean member, or null when it is not given (leave as is).</summary>
    private static bool? OptionalBool(SoapParameters p, string name) => string.IsNullOrWhiteSpace(p.Text(name)) ? null : p.Bool(name);
}
