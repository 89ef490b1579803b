using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>
/// Interests as clients send them: a list of names (<c>["football"]</c>) or a map of name to flag
/// (<c>{"football":1,"tennis":0}</c>). Names match case-insensitively; unknown names are ignored.
/// </summary>
internal static class InterestInput
{
    /// <summary>
    /// The interest ids a profile has after applying <paramref name="input"/> to <paramref name="current"/>.
    /// <paramref name="replace"/>: the input is the whole new set; otherwise it adds (list) or sets/unsets (map).
    /// </summary>
    public static HashSet<long> Apply(IReadOnlyList<InterestRecord> interests, HashSet<long> current, JsonNode? input, bool replace)
    {
        var result = replace ? [] : new HashSet<long>(current);
        if (input is null) return replace ? result : current;
        var byName = interests.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        switch (input)
        {
            case JsonArray list:
                foreach (var item in list)
                {
                    if (FieldTypes.ToScalarText(item) is { } name && Resolve(byName, interests, name) is { } id) result.Add(id);
                }

                break;
            case JsonObject map:
                foreach (var (name, flag) in map)
                {
                    if (Resolve(byName, interests, name) is not { } id) continue;
                    if (QueryValues.IsTrue(FieldTypes.ToScalarText(flag))) result.Add(id); else result.Remove(id);
                }

                break;
            default:
                if (FieldTypes.ToScalarText(input) is { Length: > 0 } single && Resolve(byName, interests, single) is { } one) result.Add(one);
                break;
        }

        return result;
    }

    private static long? Resolve(Dictionary<string, long> byName, IReadOnlyList<InterestRecord> interests, string nameOrId)
    {
        if (byName.TryGetValue(nameOrId.Trim(), out var id)) return id;
        return long.TryParse(nameOrId, out var numeric) && interests.Any(i => i.Id == numeric) ? numeric : null;
    }

    public static JsonArray Names(IReadOnlyList<InterestRecord> interests, IEnumerable<long> ids)
    {
        var set = ids.ToHashSet();
        return new JsonArray(interests.Where(i => set.Contains(i.Id)).Select(i => (JsonNode)JsonValue.Create(i.Name)!).ToArray());
    }
}
