using static Tidings.Soap.SoapMethods;

namespace Tidings.Soap;

/// <summary>The <c>Collection_*</c> methods.</summary>
internal static class SoapCollectionMethods
{
    public static readonly IReadOnlyList<SoapMethod> All =
    [
    ];
}
