using System.Text.RegularExpressions;

namespace Tidings.Tests.Hosting;

/// <summary>
/// What docs/configuration.md says about settings. A setting is documented by a row of a table whose first column is
/// headed <c>Setting</c>: its full key in backticks, then its default (a value in backticks, several for a list, or
/// <c>empty</c>), then its meaning. A list or map is one row (<c>Webhooks:Delivery:Hosts</c>); its entries are written
/// below it (<c>Webhooks:Delivery:Hosts:&lt;name&gt;</c>, <c>Tracking:TrustedProxies:0</c>). Anywhere in the text a
/// setting is named as <c>Section:Key</c>, also in the forms of the command line (<c>--Storage:Provider=…</c>) and the
/// environment (<c>Storage__Provider=…</c>).
/// </summary>
internal sealed partial class ConfigurationDoc
{
    public sealed record Row(string Key, string Default, int Line);

    public sealed record Mention(string Key, int Line);

    public required IReadOnlyList<Row> Rows { get; init; }

    public required IReadOnlyList<Mention> Mentions { get; init; }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "docs", "configuration.md")) && File.Exists(Path.Combine(dir.FullName, "Tidings.slnx"))) return dir.FullName;
            }

            throw new FileNotFoundException("docs/configuration.md (next to Tidings.slnx) was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The server's shipped settings file, whose values are the defaults an operator gets.</summary>
    public static string ShippedAppSettings => Path.Combine(RepositoryRoot, "src", "Tidings", "appsettings.json");

    /// <summary>
    /// The other pages that name settings: README.md and docs/*.md, but not the benchmarks' history, which records
    /// settings as they were when each measurement was made.
    /// </summary>
    public static IEnumerable<string> OtherPages => Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
        .Where(f => Path.GetFileName(f) is not ("configuration.md" or "benchmarks-history.md"))
        .Append(Path.Combine(RepositoryRoot, "README.md"))
        .Order(StringComparer.Ordinal);

    public static ConfigurationDoc Load(string? path = null) => Parse(File.ReadAllText(path ?? Path.Combine(RepositoryRoot, "docs", "configuration.md")));

    public static ConfigurationDoc Parse(string markdown)
    {
        var rows = new List<Row>();
        var mentions = new List<Mention>();
        bool inTable = false, settingsTable = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            mentions.AddRange(SettingKey().Matches(line).Select(m => new Mention(m.Value.Replace("__", ":", StringComparison.Ordinal), i + 1)));
            if (!line.StartsWith('|'))
            {
                inTable = false;
                continue;
            }

            var cells = line.Split('|');
            if (!inTable)
            {
                (inTable, settingsTable) = (true, cells.Length > 3 && cells[1].Trim() == "Setting");
                continue;
            }

            if (!settingsTable || cells.Length < 4 || cells[1].Trim().StartsWith("---", StringComparison.Ordinal)) continue;
            var first = cells[1].Trim();
            var key = OneCode().Match(first) is { Success: true } code ? code.Groups[1].Value : first;
            rows.Add(new Row(key, cells[2].Trim(), i + 1));
        }

        return new ConfigurationDoc { Rows = rows, Mentions = mentions };
    }

    /// <summary>The values in backticks of a default cell.</summary>
    public static IReadOnlyList<string> CodeSpans(string cell) => Code().Matches(cell).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Whether a default cell says "empty" (<c>empty</c>, <c>(empty)</c>, <c>*(empty)*</c>).</summary>
    public static bool SaysEmpty(string cell) => cell.Trim('*', '(', ')', ' ') == "empty";

    /// <summary>
    /// <c>Section:Key</c> (or <c>Section__Key</c>) with more segments, each a PascalCase name, a number or a
    /// <c>&lt;placeholder&gt;</c>; not part of a URL, a time (<c>00:00:30</c>, <c>HH:MM:SS</c>) or another word.
    /// </summary>
    [GeneratedRegex(@"(?<![\w:./])[A-Z][a-z][A-Za-z0-9]*(?:(?::|__)(?:<[a-z]+>|[A-Za-z0-9]+))+")]
    private static partial Regex SettingKey();

    [GeneratedRegex("^`([^`]+)`$")]
    private static partial Regex OneCode();

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Code();
}
