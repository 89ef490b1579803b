using System.Globalization;

namespace Tidings.Profiles;

/// <summary>
/// Reads dates the way PHP's <c>strtotime</c> reads the forms people actually send: ISO dates and times, with or
/// without a zone, <c>DD-MM-YYYY</c>, <c>YYYY/MM/DD</c>, <c>@unix</c>, and the words now, today, tomorrow and yesterday.
/// Results are wall-clock times in the API's time zone; negative years and nonsense give null. The words are read
/// against <c>now</c>, which the caller takes from the server's clock.
/// </summary>
internal static class LooseDate
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy/MM/dd", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "dd-MM-yyyy", "dd-MM-yyyy HH:mm:ss",
        "dd-MM-yyyy HH:mm", "d-M-yyyy", "dd.MM.yyyy", "dd.MM.yyyy HH:mm:ss", "yyyyMMdd", "MM/dd/yyyy", "MM/dd/yyyy HH:mm:ss",
        "d MMMM yyyy", "d MMM yyyy", "MMMM d, yyyy", "MMM d, yyyy", "d MMMM yyyy HH:mm:ss",
    ];

    public static DateTime? Parse(string text, TimeZoneInfo zone, DateTimeOffset now)
    {
        var s = text.Trim();
        if (s.Length == 0 || s.StartsWith('-')) return null;
        switch (s.ToLowerInvariant())
        {
            case "now": return Local(now, zone);
            case "today": return Local(now, zone).Date;
            case "tomorrow": return Local(now, zone).Date.AddDays(1);
            case "yesterday": return Local(now, zone).Date.AddDays(-1);
        }

        if (s[0] == '@' && long.TryParse(s.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unix))
        {
            return TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unix), zone).DateTime;
        }

        if (DateTime.TryParseExact(s, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            return local.Year < 1 ? null : local;
        }

        // Explicit offsets (ISO 8601 with Z or +hh:mm, RFC 1123) are converted into the API's zone.
        if ((s.Contains('Z', StringComparison.Ordinal) || s.Contains('+', StringComparison.Ordinal) || s.Contains("GMT", StringComparison.Ordinal) || s.LastIndexOf('-') > 9)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var withOffset))
        {
            return TimeZoneInfo.ConvertTime(withOffset, zone).DateTime;
        }

        return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var any) ? any : null;
    }

    private static DateTime Local(DateTimeOffset now, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(now, zone).DateTime;
}
