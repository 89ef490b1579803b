using System.Security.Cryptography;
using System.Text;

namespace Tidings.Profiles;

/// <summary>The <c>secret</c> of a profile or subprofile (the <c>code</c> special field of filters).</summary>
internal static class ProfileSecret
{
    /// <summary>A new secret as Copernica issues them: 28 lower-case hexadecimal characters.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(14));

    /// <summary>
    /// A secret given with PUT is kept as given, except that every character outside ASCII becomes <c>?</c>, as
    /// Copernica stores it.
    /// </summary>
    public static string FromInput(string text)
    {
        var ascii = true;
        foreach (var c in text) ascii &= char.IsAscii(c);
        if (ascii) return text;

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) builder.Append(rune.IsAscii ? (char)rune.Value : '?');
        return builder.ToString();
    }
}
