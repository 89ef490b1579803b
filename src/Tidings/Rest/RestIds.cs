using System.Globalization;

namespace Tidings.Rest;

/// <summary>
/// The one rule for numeric ids in a path: ASCII digits only (<c>^[0-9]+$</c>, leading zeros allowed). An empty
/// segment, a sign (<c>-1</c>, <c>+6</c>), spaces (<c>1%20</c>) or a number too large for an id is no id; the caller
/// answers with its entity's "No … with supplied ID" message (or, where names are allowed, looks for a name).
/// </summary>
internal static class RestIds
{
    /// <summary>An id as Copernica writes it in an answer: a string of digits.</summary>
    public static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
