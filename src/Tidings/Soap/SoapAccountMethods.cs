using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Account_*</c> methods: the account's databases.</summary>
internal static class SoapAccountMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Account_databases", false, [Start, Length], AccountDatabases),
        new("Account_database", false, [new("identifier", "xsd:string")], AccountDatabase),
        new("Account_createDatabase", true, [new("name", "xsd:string"), new("description", "xsd:string")], AccountCreateDatabase),
    ];

    /// <summary>The account's databases, a page at a time (inferred: no client or page copy shows this method).</summary>
    private static async Task<XElement> AccountDatabases(SoapCall call)
    {
        var (start, length) = Window(call);
        var (items, total) = await call.Get<DatabaseService>().ListAsync(call.Caller.AccountId, start, length, call.Ct);
        var time = call.Get<CopernicaTime>();
        return SoapResults.Listing(start, items.Count, total, items.Select(d => SoapResults.Database(d.Database, time)));
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
}
