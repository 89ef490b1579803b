using System.Globalization;
using Microsoft.Extensions.Options;
using Tidings.Rejections;

namespace Tidings.LogFiles;

/// <summary>A planned download: which records, in which format, and whether a CSV file starts with a header row.</summary>
internal sealed record LogFileDownload(LogFileQuery Plan, string Format, bool CsvHeader)
{
    /// <summary>The seq of the last record the download contains (or the one it resumes after, when it has none).</summary>
    public long LastSeq => Plan.LastSeq ?? Plan.AfterSeq;
}

/// <summary>
/// Log files for every front end: which exist (dates, or names of a day and/or type) and what a download of one
/// contains (its name, format, <c>from</c> time, <c>after</c> seq and header choice checked). Rejections carry the
/// texts the REST API answers with.
/// </summary>
internal sealed class LogFileService(LogFileStore store, IOptions<LogFilesOptions> options)
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "json", "xml"];

    /// <summary>
    /// Without <paramref name="date"/> and <paramref name="type"/> (empty): the dates (YYYY-MM-DD, oldest first) that
    /// have log files. With either: the names of those log files.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListAsync(long accountId, string date, string type, CancellationToken ct)
    {
        if (date.Length == 0 && type.Length == 0)
        {
            var dates = await store.DatesAsync(accountId, ct);
            return dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        }

        DateOnly? day = null;
        if (date.Length > 0) day = LogFileName.ParseDate(date) ?? throw new RequestRejectedException(LogFileName.InvalidDate);
        return await store.NamesAsync(accountId, day, type.Length > 0 ? type : null, ct);
    }

    /// <summary>
    /// Plans the download of a log file (<c>&lt;type&gt;.&lt;YYYY-MM-DD&gt;.log</c>) as csv, json or xml. Optional, as
    /// given (empty: absent): <paramref name="from"/> a Unix time in seconds, only entries after it; <paramref name="after"/>
    /// a seq, only entries after that one; <paramref name="header"/> a flag, a CSV header row (default from the settings).
    /// </summary>
    public async Task<LogFileDownload> PlanDownloadAsync(long accountId, string name, string format, string from, string after, string header, CancellationToken ct)
    {
        if (!Formats.Contains(format)) throw new RequestRejectedException(CopernicaErrors.InvalidMethod);
        var file = LogFileName.Parse(name);
        var fromMs = from.Length > 0 ? ParseFrom(from) : (long?)null;
        var afterSeq = after.Length > 0 ? ParseAfter(after) : (long?)null;
        var csvHeader = format == "csv" && (header.Length > 0 ? ParseFlag(header) : options.Value.CsvHeaderByDefault);
        var plan = await store.PlanAsync(accountId, file, fromMs, afterSeq, ct);
        return new LogFileDownload(plan, format, csvHeader);
    }

    /// <summary>A Unix timestamp in seconds, fractions allowed, as whole milliseconds (rounded down).</summary>
    internal static long ParseFrom(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || seconds < -62_135_596_800m || seconds > 253_402_300_799m)
        {
            throw new RequestRejectedException("Invalid from parameter");
        }

        return (long)decimal.Floor(seconds * 1000m);
    }

    private static long ParseAfter(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : throw new RequestRejectedException("Invalid after parameter");

    private static bool ParseFlag(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new RequestRejectedException("Invalid header parameter"),
    };
}
