using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Tidings.Rest;

/// <summary>Query-string conventions of Copernica's API (parameter names are case-sensitive).</summary>
internal static class QueryValues
{
    /// <summary>
    /// Copernica's notion of a true flag: "yes" or "true" in any case, or a number whose absolute value is at least 1.
    /// Anything else, including an absent parameter, is false.
    /// </summary>
    public static bool IsTrue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        var v = value.Trim();
        if (v.Equals("yes", StringComparison.OrdinalIgnoreCase) || v.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Math.Abs(number) >= 1;
    }

    public static bool Flag(HttpRequest request, string name, bool whenAbsent = false) =>
        Get(request, name) is { } value ? IsTrue(value) : whenAbsent;

    /// <summary>
    /// A query parameter by its exact, case-sensitive name (<c>LIMIT</c> is not <c>limit</c>), the last one winning as
    /// in PHP; null when absent. ASP.NET Core's <c>Request.Query</c> matches names case-insensitively, so it is not used.
    /// </summary>
    public static string? Get(HttpRequest request, string name)
    {
        string? found = null;
        foreach (var (key, value) in Pairs(request))
        {
            if (key == name) found = value;
        }

        return found;
    }

    /// <summary>Every query parameter in order, names and values decoded, names keeping their case.</summary>
    public static IEnumerable<(string Name, string Value)> Pairs(HttpRequest request)
    {
        var pairs = new List<(string, string)>();
        foreach (var pair in new QueryStringEnumerable(request.QueryString.Value))
        {
            pairs.Add((pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
        }

        return pairs;
    }

    /// <summary>PHP-style integer cast: leading whitespace and sign, then digits; anything else gives 0.</summary>
    public static long PhpInt(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        var s = value.AsSpan().TrimStart();
        var end = 0;
        if (end < s.Length && s[end] is '+' or '-') end++;
        while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
        if (long.TryParse(s[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d))
        {
            return d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
        }

        return 0;
    }

    /// <summary>PHP-style float cast of the leading numeric part of a string.</summary>
    public static double PhpFloat(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        var s = value.Trim();
        for (var len = s.Length; len > 0; len--)
        {
            if (double.TryParse(s.AsSpan(0, len), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return d;
            }
        }

        return 0;
    }
}
