using System.Xml.Linq;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>
/// The <c>SubProfile_*</c> methods: one subprofile, its fields, its code and its removal. Changes go through the
/// same <see cref="SubprofileService"/> calls as REST's <c>subprofile/{id}</c> endpoints, so they are journaled as the
/// same <c>subprofile.update</c> and <c>subprofile.delete</c> events (source <c>soap</c>).
/// </summary>
internal static class SoapSubProfileMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("SubProfile_retrieve", false, [Id], SubProfileRetrieve),
        new("SubProfile_fields", false, [Id], SubProfileFields),
        new("SubProfile_updateFields", true, [Id, Timestamp, Fields, CallerInfo], SubProfileUpdateFields),
        new("SubProfile_update", true, [Id, new("code", "xsd:string")], SubProfileUpdate),
        new("SubProfile_remove", true, [Id], SubProfileRemove),
    ];

    private static Task<SubprofileView> SubProfileAsync(SoapCall call) =>
        call.Get<SubprofileService>().RequireAsync(call.Caller.AccountId, call.Parameters.Required("id"), call.Ct);

    /// <summary>A subprofile that can still be changed: a removed one is a Fault (REST ignores the change silently).</summary>
    private static async Task<SubprofileView> LiveSubProfileAsync(SoapCall call)
    {
        var s = await SubProfileAsync(call);
        return s.Row.IsRemoved ? throw new RequestRejectedException(CopernicaErrors.SubprofileAlreadyRemoved) : s;
    }

    /// <summary>One subprofile with its fields (inferred: Copernica's page does not say whether they are included).</summary>
    private static async Task<XElement> SubProfileRetrieve(SoapCall call)
    {
        var s = await SubProfileAsync(call);
        return SoapResults.Entity(SoapResults.SubProfile(s.Table, s.Row, call.Get<CopernicaTime>()));
    }

    /// <summary>A subprofile's field values as a <c>map</c> (inferred, as <c>Profile_fields</c>).</summary>
    private static async Task<XElement> SubProfileFields(SoapCall call)
    {
        var s = await SubProfileAsync(call);
        return SoapResults.Map(SoapResults.FieldPairs(s.Table, s.Row));
    }

    private static async Task<XElement> SubProfileUpdateFields(SoapCall call)
    {
        var s = await LiveSubProfileAsync(call);
        await call.Get<SubprofileService>().UpdateAsync(s, new SubprofileChange(RequiredFields(call)), Source, call.Ct);
        return SoapResults.True();
    }

    /// <summary>Sets the subprofile's <c>code</c> (REST's <c>secret</c>); answers the subprofile as it is now.</summary>
    private static async Task<XElement> SubProfileUpdate(SoapCall call)
    {
        var s = await LiveSubProfileAsync(call);
        var code = call.Parameters.Required("code");
        var subprofiles = call.Get<SubprofileService>();
        await subprofiles.UpdateAsync(s, new SubprofileChange(null, code), Source, call.Ct);
        var now = await subprofiles.RequireAsync(call.Caller.AccountId, SoapResults.Int(s.Row.Id), call.Ct);
        return SoapResults.Entity(SoapResults.SubProfile(now.Table, now.Row, call.Get<CopernicaTime>()));
    }

    private static async Task<XElement> SubProfileRemove(SoapCall call)
    {
        var s = await SubProfileAsync(call);
        await call.Get<SubprofileService>().DeleteAsync(s, Source, keepModified: false, call.Ct);
        return SoapResults.True();
    }
}
