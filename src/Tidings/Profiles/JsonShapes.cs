using System.Globalization;

namespace Tidings.Profiles;

/// <summary>
/// Ids as Copernica writes them: strings. The marketing-data answers themselves are records (DatabaseAnswers.cs,
/// ProfileAnswers.cs); this stays because other features write their ids with it too.
/// </summary>
internal static class JsonShapes
{
    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
