using System.Text;

namespace Tidings.SecretProtection;

/// <summary>Sweep results as operators read them (start-up error, <c>secrets status</c>).</summary>
internal static class SecretSweepReport
{
    private const int MaxRowIds = 10;

    /// <summary>Per column and master key: how many values do not decrypt, some of their row ids, and why.</summary>
    public static string Unreadable(IEnumerable<SecretSweepResult> results)
    {
        var text = new StringBuilder("stored secrets do not decrypt with the master keys configured on this node.");
        foreach (var result in results)
        {
            foreach (var group in result.Unreadable.GroupBy(u => u.KeyId ?? "?", StringComparer.OrdinalIgnoreCase))
            {
                var ids = string.Join(", ", group.Take(MaxRowIds).Select(u => u.RowId)) + (group.Count() > MaxRowIds ? ", …" : "");
                text.Append($" {result.Purpose}: {group.Count()} value(s) of master key '{group.Key}' (ids {ids}): {group.First().Message}");
            }
        }

        return text.ToString();
    }

    /// <summary>One line per column: values per master key, the primary one marked.</summary>
    public static string Line(SecretSweepResult result, string primaryKeyId)
    {
        var keys = result.ByKey.Select(k => $"{k.Value} {(string.Equals(k.Key, primaryKeyId, StringComparison.OrdinalIgnoreCase) ? k.Key + " (primary)" : k.Key)}");
        var unreadable = result.Unreadable.Count > 0 ? $", {result.Unreadable.Count} unreadable" : "";
        var unbound = result.Unbound > 0 ? $", {result.Unbound} not yet bound to their row" : "";
        return $"{result.Purpose}: {(result.ByKey.Count == 0 ? "no values" : string.Join(", ", keys))}{unbound}{unreadable}";
    }
}
