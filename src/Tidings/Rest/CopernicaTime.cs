using System.Globalization;
using Microsoft.Extensions.Options;

namespace Tidings.Rest;

/// <summary>
/// Timestamps as Copernica writes them (<c>YYYY-MM-DD hh:mm:ss</c>) in the configured time zone. Stored times are
/// Unix milliseconds (UTC); only the API shows local time.
/// </summary>
internal sealed class CopernicaTime(TimeProvider timeProvider, IOptions<RestOptions> options)
{
    public const string Format = "yyyy-MM-dd HH:mm:ss";

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public long NowMs() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    public string FormatMs(long unixMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Zone).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Reads a local timestamp (date, or date and time) into Unix milliseconds; null if unreadable.</summary>
    public long? ParseLocal(string value)
    {
        if (!DateTime.TryParseExact(value.Trim(), [Format, "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }
}
