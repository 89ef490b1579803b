using System.Globalization;
using System.Text.RegularExpressions;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.LogFiles;

/// <summary>A log file name, <c>&lt;type&gt;.&lt;YYYY-MM-DD&gt;.log</c>, e.g. <c>cdm-click.2026-03-24.log</c>.</summary>
internal sealed partial record LogFileName(LogFileType Type, DateOnly Date)
{
    public const string InvalidName = "Invalid logfile name";
    public const string InvalidDate = "Invalid date";

    public override string ToString() => Format(Type.Name, Date);

    public static string Format(string type, DateOnly date) => $"{type}.{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.log";

    /// <summary>Parses a name; throws a <see cref="RequestRejectedException"/> for a malformed name or an unknown type.</summary>
    public static LogFileName Parse(string name)
    {
        var match = Pattern().Match(name);
        if (!match.Success || LogFileTypes.Find(match.Groups["type"].Value) is not { } type || ParseDate(match.Groups["date"].Value) is not { } date)
        {
            throw new RequestRejectedException(InvalidName);
        }

        return new LogFileName(type, date);
    }

    public static DateOnly? ParseDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    [GeneratedRegex(@"^(?<type>[a-z][a-z-]*)\.(?<date>\d{4}-\d{2}-\d{2})\.log$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Local days (in the API's time zone) as ranges of Unix milliseconds.</summary>
internal sealed class LocalDays(CopernicaTime time)
{
    public TimeZoneInfo Zone => time.Zone;

    /// <summary>The first millisecond of a local day (midnight, or the first valid local time after it).</summary>
    public long StartMs(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Zone), TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>The first millisecond after a local day; after the last day a <see cref="DateOnly"/> can hold (9999-12-31), none.</summary>
    public long EndMs(DateOnly day) => day == DateOnly.MaxValue ? long.MaxValue : StartMs(day.AddDays(1));

    public DateOnly DayOf(long unixMs) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Zone).DateTime);

    /// <summary><c>YYYY-MM-DD hh:mm:ss</c> in the local time zone.</summary>
    public string Format(long unixMs) => time.FormatMs(unixMs);
}
