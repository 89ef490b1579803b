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
/// changes are journaled with source <c>soap</c>. Adding a method is one entry in its object's file.
/// </summary>
internal static class SoapMethods
{
    /// <summary>What the journal records as the source of changes made through the SOAP API.</summary>
    public const string Source = "soap";

    public static readonly SoapParameter Id = new("id", "xsd:string");
    public static readonly SoapParameter Start = new("start", "xsd:int");
    public static readonly SoapParameter Length = new("length", "xsd:int");
    public static readonly SoapParameter AllProperties = new("allproperties", "xsd:boolean");
    public static readonly SoapParameter Fields = new("fields", "tns:Map");
    public static readonly SoapParameter Requirements = new("requirements", "tns:Requirement", Repeated: true);

    /// <summary>Copernica's <c>caller</c> structure (followups, caller, identity): accepted, and has no effect here.</summary>
    public static readonly SoapParameter CallerInfo = new("caller", "tns:Caller");

    /// <summary>Copernica's <c>timestamp</c> member of write methods: accepted, and has no effect here.</summary>
    public static readonly SoapParameter Timestamp = new("timestamp", "xsd:string");

    /// <summary>Every method: each object's methods live in a file of their own (SoapAccountMethods and so on).</summary>
    public static readonly IReadOnlyList<SoapMethod> All =
    [
        SoapAuthentication.Login,
        .. SoapAccountMethods.All,
        .. SoapDatabaseMethods.All,
        .. SoapCollectionMethods.All,
        .. SoapProfileMethods.All,
        .. SoapSubProfileMethods.All,
    ];

    private static readonly Dictionary<string, SoapMethod> ByName = All.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static SoapMethod? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The <c>start</c> and <c>length</c> of a listing, bounded as REST bounds <c>start</c> and <c>limit</c>.</summary>
    public static (long Start, long Length) Window(SoapCall call)
    {
        var rest = call.Get<IOptions<RestOptions>>().Value;
        var start = Math.Max(0, call.Parameters.Long("start", 0)!.Value);
        var length = Math.Clamp(call.Parameters.Long("length", rest.DefaultLimit)!.Value, 0, rest.MaxLimit);
        return (start, length);
    }

    /// <summary>The database named by the <c>id</c> member (an id or a name, as REST takes it).</summary>
    public static Task<DatabaseRecord> DatabaseAsync(SoapCall call) =>
        call.Get<DatabaseService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    /// <summary>The profile named by the <c>id</c> member.</summary>
    public static Task<ProfileView> ProfileAsync(SoapCall call) =>
        call.Get<ProfileService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    /// <summary>A profile as a <c>profile</c> element; its fields and interests only when <paramref name="allProperties"/>.</summary>
    public static XElement ProfileElement(ProfileView p, SoapCall call, bool allProperties)
    {
        var has = p.AllInterests.Where(i => p.Interests.Contains(i.Id)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return SoapResults.Profile(p.Table, p.Row, p.AllInterests, has, allProperties, call.Get<CopernicaTime>());
    }

    /// <summary>The <c>fields</c> Map, which the method cannot do without.</summary>
    public static System.Text.Json.Nodes.JsonObject RequiredFields(SoapCall call) =>
        call.Parameters.Map("fields") ?? throw new SoapFaultException("Missing parameter 'fields'");
}
