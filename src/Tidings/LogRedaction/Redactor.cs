using System.Text.RegularExpressions;

namespace Tidings.LogRedaction;

/// <summary>
/// Masks credentials in log text: the value of an <c>access_token</c> parameter (also when its name is percent-encoded,
/// as a query string still decodes it to the token, or written as a JSON property) and the value of an
/// <c>Authorization</c> header or a <c>Bearer</c> credential. The name stays, so a log still shows that a
/// token was given.
/// </summary>
internal static partial class Redactor
{
    public const string Mask = "***";

    /// <summary>The text with every credential masked; the same instance when there is none.</summary>
    public static string Redact(string text)
    {
        if (text.Length == 0) return text;
        var redacted = Credential().Replace(text, m => m.Value[..(m.Groups["value"].Index - m.Index)] + Mask);
        return redacted.Length == text.Length && redacted == text ? text : redacted;
    }

    /// <summary>Whether a structured value's name says the whole value is a credential.</summary>
    public static bool IsCredentialName(string name) =>
        name.Equals("access_token", StringComparison.OrdinalIgnoreCase) || name.Contains("authorization", StringComparison.OrdinalIgnoreCase);

    // access_token with any character percent-encoded; then up to a few characters such as [] before '=' (or ':' in
    // JSON); the value runs to the next separator of a query string, a quote or white space.
    // Authorization: the rest of the line. Bearer: the credential that follows.
    [GeneratedRegex(
        """
        (?:a|%[46]1)(?:c|%[46]3)(?:c|%[46]3)(?:e|%[46]5)(?:s|%[57]3)(?:s|%[57]3)(?:_|%5f)(?:t|%[57]4)(?:o|%[46]f)(?:k|%[46]b)(?:e|%[46]5)(?:n|%[46]e)
        [^\s=&:"']{0,12}(?:=|%3d|["']?\s*:\s*["']?)(?<value>[^\s&"'\#]+)
        |authorization["']?\s*[:=]\s*["']?(?<value>[^\r\n"']+)
        |\bbearer\s+(?<value>[A-Za-z0-9._~+/=-]+)
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
