using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tidings.Tests.Hosting;

namespace Tidings.Tests.Deployment;

/// <summary>
/// The files in deploy/ read as far as the checks need them: the Dockerfile's instructions, the systemd unit's
/// <c>Key=Value</c> lines and the compose file's <c>tidings</c> service. No YAML or INI package: each is read the way
/// its own format is written here, and a shape these readers do not understand fails the checks instead of passing.
/// </summary>
internal static partial class DeployFiles
{
    public static string Folder => Path.Combine(ConfigurationDoc.RepositoryRoot, "deploy");

    public static string Dockerfile => File.ReadAllText(Path.Combine(Folder, "Dockerfile"));

    public static string Unit => File.ReadAllText(Path.Combine(Folder, "tidings.service"));

    public static string Compose => File.ReadAllText(Path.Combine(Folder, "compose.yaml"));

    /// <summary>The server project's assembly name: its <c>AssemblyName</c>, or the project file's name.</summary>
    public static string AssemblyName(string? projectFile = null)
    {
        projectFile ??= Path.Combine(ConfigurationDoc.RepositoryRoot, "src", "Tidings", "Tidings.csproj");
        var declared = XDocument.Load(projectFile).Descendants("AssemblyName").Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0);
        return declared ?? Path.GetFileNameWithoutExtension(projectFile);
    }

    public sealed record Instruction(string Name, string Arguments);

    /// <summary>The Dockerfile's instructions after the last <c>FROM</c> (the image that runs), line continuations joined.</summary>
    public static IReadOnlyList<Instruction> FinalStage(string dockerfile)
    {
        var all = Instructions(dockerfile);
        var last = all.FindLastIndex(i => i.Name == "FROM");
        return last < 0 ? all : all[last..];
    }

    public static List<Instruction> Instructions(string dockerfile)
    {
        var joined = Regex.Replace(dockerfile.Replace("\r", "", StringComparison.Ordinal), @"\\\n", " ");
        return joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Select(p => new Instruction(p[0].ToUpperInvariant(), p.Length > 1 ? p[1] : ""))
            .ToList();
    }

    /// <summary>An exec-form (<c>["a", "b"]</c>) ENTRYPOINT or CMD; null for the shell form, which hides the command from checks.</summary>
    public static IReadOnlyList<string>? ExecForm(string arguments)
    {
        if (!arguments.StartsWith('[')) return null;
        try
        {
            using var doc = JsonDocument.Parse(arguments);
            return doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>ENV</c> variables of a stage, in both forms (<c>ENV a=b c=d</c> and <c>ENV a b</c>).</summary>
    public static IReadOnlyDictionary<string, string> Environment(IEnumerable<Instruction> stage)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in stage.Where(i => i.Name == "ENV"))
        {
            if (!env.Arguments.Contains('=', StringComparison.Ordinal) || env.Arguments.IndexOf(' ', StringComparison.Ordinal) is var space && space > 0 && space < env.Arguments.IndexOf('=', StringComparison.Ordinal))
            {
                var parts = env.Arguments.Split(' ', 2, StringSplitOptions.TrimEntries);
                variables[parts[0]] = parts.Length > 1 ? parts[1] : "";
                continue;
            }

            foreach (Match m in EnvPair().Matches(env.Arguments)) variables[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
        }

        return variables;
    }

    /// <summary>The systemd unit's <c>Key=Value</c> lines of one section; a key given more than once keeps every value.</summary>
    public static ILookup<string, string> UnitSection(string unit, string section)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var current = "";
        foreach (var raw in unit.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']')) current = line[1..^1];
            else if (current == section && line.Length > 0 && line[0] is not ('#' or ';') && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                pairs.Add(new(line[..eq].Trim(), line[(eq + 1)..].Trim()));
            }
        }

        return pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The variables a unit sets with <c>Environment=</c>, also in commented examples (<c># Environment=…</c>): an
    /// operator who uncomments one must get a documented setting.
    /// </summary>
    public static IReadOnlyList<string> UnitEnvironmentNames(string unit) =>
        UnitEnvironment().Matches(unit).Select(m => m.Groups[1].Value).ToList();

    /// <summary>One service of a compose file: its scalar keys, its mappings and its lists, one level deep.</summary>
    public sealed record ComposeService(
        IReadOnlyDictionary<string, string> Scalars,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Maps,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Lists);

    /// <summary>Reads service <paramref name="name"/> of a compose file written in block style, as deploy/compose.yaml is.</summary>
    public static ComposeService? ComposeServiceNamed(string compose, string name)
    {
        var lines = compose.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        var services = lines.FindIndex(l => l.TrimEnd() == "services:");
        if (services < 0) return null;
        var start = lines.FindIndex(services, l => Indent(l) > 0 && l.Trim() == name + ":");
        if (start < 0) return null;
        var serviceIndent = Indent(lines[start]);
        var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
        var maps = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var i = start + 1;
        while (i < lines.Count && Indent(lines[i]) > serviceIndent)
        {
            var keyIndent = Indent(lines[i]);
            var (key, value) = KeyValue(lines[i].Trim());
            i++;
            if (value.Length > 0)
            {
                scalars[key] = Unquote(value);
                continue;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var list = new List<string>();
            for (; i < lines.Count && Indent(lines[i]) > keyIndent; i++)
            {
                var item = lines[i].Trim();
                if (item.StartsWith("- ", StringComparison.Ordinal)) list.Add(Unquote(item[2..].Trim()));
                else if (Indent(lines[i]) == keyIndent + 2 || list.Count == 0) map[KeyValue(item).Key] = Unquote(KeyValue(item).Value);
            }

            if (list.Count > 0) lists[key] = list;
            else maps[key] = map;
        }

        return new ComposeService(scalars, maps, lists);
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static (string Key, string Value) KeyValue(string item)
    {
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (item, "") : (item[..colon].Trim(), item[(colon + 1)..].Trim());
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S*)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"^[#;]?\s*Environment=""?([A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex UnitEnvironment();
}
