using System.Collections;
using System.Globalization;

namespace Tidings.Tests.Hosting;

/// <summary>
/// Compares the Default column of a setting's row with the value the server ships with: one value in backticks, as
/// it is written in configuration (<c>`00:00:30`</c>, <c>`Sqlite`</c>), the items of a list each in backticks, or
/// <c>empty</c> for an empty text, list or map.
/// </summary>
internal static class DocumentedDefault
{
    /// <summary>What is wrong with the documented default, or null when it is the shipped one.</summary>
    public static string? Problem(BoundSetting setting, object? actual, ConfigurationDoc.Row row)
    {
        var where = $"line {row.Line}: {setting.Key}";
        var spans = ConfigurationDoc.CodeSpans(row.Default);
        if (spans.Count == 0 && ConfigurationDoc.SaysEmpty(row.Default))
        {
            return actual is null || actual is "" || (actual is IEnumerable items && actual is not string && !items.Cast<object>().Any())
                ? null
                : $"{where}: documented as empty, shipped {Show(actual)}";
        }

        if (setting.IsCollection)
        {
            var shipped = ((IEnumerable?)actual)?.Cast<object?>().Select(Show).ToList() ?? [];
            return shipped.SequenceEqual(spans) ? null : $"{where}: documented {row.Default}, shipped {string.Join(", ", shipped)}";
        }

        if (spans.Count != 1) return $"{where}: the default '{row.Default}' is neither one `value` nor empty";
        try
        {
            var documented = BoundSettings.Convert(setting.ValueType, spans[0]);
            return Equals(documented, actual) ? null : $"{where}: documented `{spans[0]}`, shipped {Show(actual)}";
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException)
        {
            return $"{where}: the default `{spans[0]}` is not a {setting.ValueType.Name}";
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Show)),
        _ => value.ToString() ?? "",
    };
}
