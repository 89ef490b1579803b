using Tidings.Rejections;

namespace Tidings.Rest;

/// <summary>One condition of the <c>fields</c> query parameter: <c>&lt;field&gt;&lt;operator&gt;&lt;value&gt;</c>.</summary>
internal sealed record FieldCondition(string Field, string Operator, string Value);

/// <summary>
/// Reads the <c>fields</c> filter from a query string in every encoding clients send: <c>fields[]=</c>,
/// <c>fields[0]=</c>, percent-encoded brackets (<c>fields%5B0%5D=</c>) and raw, unencoded values. A plain
/// <c>fields=…</c> (not an array) is ignored, as Copernica does, and so is an empty entry (<c>fields[]=</c>, which
/// clients send when they have no filter): it counts neither as a condition nor as the parameter being present.
/// </summary>
internal static class FieldFilter
{
    private static readonly string[] TwoCharacterOperators = ["==", "!=", "<>", "<=", ">=", "=~", "!~"];

    public static IReadOnlyList<FieldCondition> From(HttpRequest request)
    {
        var conditions = new List<FieldCondition>();
        foreach (var (key, value) in QueryValues.Pairs(request))
        {
            if (IsCondition(key, value)) conditions.Add(Parse(value));
        }

        return conditions;
    }

    public static bool HasFieldsParameter(HttpRequest request) => QueryValues.Pairs(request).Any(p => IsCondition(p.Name, p.Value));

    private static bool IsCondition(string key, string value) =>
        key.StartsWith("fields[", StringComparison.Ordinal) && key.EndsWith(']') && !string.IsNullOrWhiteSpace(value);

    /// <summary>Splits a condition at its first operator; the whole condition is trimmed first.</summary>
    public static FieldCondition Parse(string raw)
    {
        var condition = raw.Trim();
        for (var i = 1; i < condition.Length; i++)
        {
            if (i + 1 < condition.Length)
            {
                var two = condition.Substring(i, 2);
                if (Array.IndexOf(TwoCharacterOperators, two) >= 0)
                {
                    return new FieldCondition(condition[..i], two == "<>" ? "!=" : two, condition[(i + 2)..]);
                }
            }

            if (condition[i] is '<' or '>')
            {
                return new FieldCondition(condition[..i], condition[i].ToString(), condition[(i + 1)..]);
            }
        }

        throw new RequestRejectedException($"Invalid condition '{raw}' in fields parameter: expected <field><operator><value> with one of the operators == != <> < > <= >= =~ !~");
    }
}
