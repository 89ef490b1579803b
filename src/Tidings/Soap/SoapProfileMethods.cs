using System.Xml.Linq;
using Tidings.Profiles;
using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Profile_*</c> methods: one profile, its fields, interests and subprofiles.</summary>
internal static class SoapProfileMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
        new("Profile_retrieve", false, [Id], ProfileRetrieve),
        new("Profile_fields", false, [Id], ProfileFields),
        new("Profile_updateFields", true, [Id, Fields], ProfileUpdateFields),
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
}
