using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>SubProfile_*</c> methods.</summary>
internal static class SoapSubProfileMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
    ];
}
