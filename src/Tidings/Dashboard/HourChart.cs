using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Tidings.Statistics;

namespace Tidings.Dashboard;

/// <summary>A time window the statistics charts offer: its query value, its label, how far back, and its bar width.</summary>
internal sealed record ChartWindow(string Key, string Label, TimeSpan? Span, long BucketMs, string BucketName);

/// <summary>One series of a chart: a name, the CSS class of its bars, its journal types, and a value per bucket.</summary>
internal sealed record ChartSeries(string Name, string Class, IReadOnlyList<long> Totals, IReadOnlyList<long> Uniques);

/// <summary>
/// Opens, clicks and bounces of a mailing over time, from its hourly aggregates summed into buckets of the window's
/// width (UTC), oldest first, ready to draw as bars: the page draws an SVG per series and a table of the same figures.
/// </summary>
internal sealed class HourChart
{
    private const long Hour = HourlyCounts.HourMs;
    private const long Day = 24 * Hour;

    public static readonly IReadOnlyList<ChartWindow> Windows =
    [
        new("24h", "Last 24 hours", TimeSpan.FromHours(24), Hour, "hour"),
        new("7d", "Last 7 days", TimeSpan.FromDays(7), 6 * Hour, "6 hours"),
        new("30d", "Last 30 days", TimeSpan.FromDays(30), Day, "day"),
        new("all", "All", null, Day, "day"),
    ];

    /// <summary>Most bars a chart draws; "all" widens its bars (a day, a week, four weeks…) to stay below it.</summary>
    public const int MaxBuckets = 120;

    // Drawing area of every chart (SVG user units; the SVG scales to its box).
    public const int Width = 720, Height = 200, Left = 52, Right = 8, Top = 10, Bottom = 26;

    public ChartWindow Window { get; }
    public long BucketMs { get; }
    public IReadOnlyList<long> Starts { get; }
    public IReadOnlyList<ChartSeries> Series { get; }

    public static ChartWindow FindWindow(string? key) => Windows.FirstOrDefault(w => w.Key == key) ?? Windows[1];

    /// <summary>The first moment (Unix ms) the window asks the aggregates for (null: all of them).</summary>
    public static long? From(ChartWindow window, long nowMs) =>
        window.Span is { } span ? Align(nowMs - (long)span.TotalMilliseconds + window.BucketMs, window.BucketMs) : null;

    public HourChart(ChartWindow window, IReadOnlyList<HourCount> hours, long createdMs, long nowMs)
    {
        Window = window;
        var bucket = window.BucketMs;
        long first;
        if (window.Span is null)
        {
            first = Math.Min(createdMs, hours.Count > 0 ? hours.Min(h => h.Hour) : createdMs);
            while ((nowMs - first) / bucket + 1 > MaxBuckets) bucket = bucket == Day ? 7 * Day : bucket * 4;
            first = Align(first, bucket);
        }
        else
        {
            first = From(window, nowMs)!.Value;
        }

        BucketMs = bucket;
        var count = (int)Math.Max(1, (Align(nowMs, bucket) - first) / bucket + 1);
        Starts = Enumerable.Range(0, count).Select(i => first + i * bucket).ToList();
        Series =
        [
            Sum("Opens", "opens", hours, first, count, "open"),
            Sum("Clicks", "clicks", hours, first, count, "click"),
            Sum("Bounces and failures", "bounces", hours, first, count, "bounce", "failure"),
        ];
    }

    private ChartSeries Sum(string name, string cssClass, IReadOnlyList<HourCount> hours, long first, int count, params string[] types)
    {
        var totals = new long[count];
        var uniques = new long[count];
        foreach (var h in hours)
        {
            if (!types.Contains(h.Type) || h.Hour < first) continue;
            var i = (int)((h.Hour - first) / BucketMs);
            if (i >= count) continue;
            totals[i] += h.Total;
            uniques[i] += h.Unique;
        }

        return new ChartSeries(name, cssClass, totals, uniques);
    }

    private static long Align(long ms, long bucket) => ms - (((ms % bucket) + bucket) % bucket);

    /// <summary>The top of the value axis: the largest value rounded up to 1, 2 or 5 times a power of ten (at least 1).</summary>
    public static long AxisMax(IReadOnlyList<long> values)
    {
        var max = values.Count == 0 ? 0 : values.Max();
        if (max <= 1) return 1;
        for (long power = 1; ; power *= 10)
        {
            foreach (var step in new long[] { 1, 2, 5 })
            {
                if (step * power >= max) return step * power;
            }
        }
    }

    public double BarWidth => (double)(Width - Left - Right) / Starts.Count;

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public double BarX(int i) => Left + i * BarWidth;

    public static double BarHeight(long value, long axisMax) => (double)value / axisMax * (Height - Top - Bottom);

    /// <summary>An SVG <c>&lt;text&gt;</c> of an axis (Razor reserves the tag name for itself); the text is encoded.</summary>
    public static IHtmlContent AxisText(double x, double y, string anchor, string text)
    {
        var tag = new TagBuilder("text");
        tag.AddCssClass("chart-axis");
        tag.Attributes["x"] = N(x);
        tag.Attributes["y"] = N(y);
        tag.Attributes["text-anchor"] = anchor;
        tag.InnerHtml.Append(text);
        return tag;
    }

    /// <summary>How a bucket's start is labelled: the hour when bars are hours or 6 hours, else the date (UTC).</summary>
    public string Label(long startMs) => DateTimeOffset.FromUnixTimeMilliseconds(startMs).UtcDateTime
        .ToString(BucketMs < Day ? "MMM d HH:mm" : "MMM d yyyy", CultureInfo.InvariantCulture);

    /// <summary>What the chart says in words (its SVG description): the total, and the busiest bar.</summary>
    public string Describe(ChartSeries s)
    {
        var total = s.Totals.Sum();
        var text = $"{DashboardFormat.Number(total)} {s.Name.ToLowerInvariant()} from {DashboardFormat.Time(Starts[0])} to {DashboardFormat.Time(Starts[^1] + BucketMs)}, one bar per {BucketName}";
        if (total == 0) return text + ".";
        var busiest = s.Totals.Select((v, i) => (v, i)).MaxBy(p => p.v).i;
        return text + $"; most in the {BucketName} from {DashboardFormat.Time(Starts[busiest])}: {DashboardFormat.Number(s.Totals[busiest])}.";
    }

    public string BucketName => BucketMs switch
    {
        Hour => "hour",
        6 * Hour => "6 hours",
        Day => "day",
        7 * Day => "week",
        _ => $"{BucketMs / Day} days",
    };
}
