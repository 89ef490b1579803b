using System.Text.Json.Nodes;
using Tidings.Rejections;

namespace Tidings.Rest;

/// <summary>
/// The keys a strict endpoint's body may have (Tidings' own calls and the webhook calls): a key not listed (names are
/// case-sensitive) is refused with a 400 naming it, so that a typo such as <c>signng</c> is not silently dropped. A key may carry the keys of its own object value (<c>from_address</c> with <c>name</c> and <c>email</c>);
/// a key without them takes any value.
/// </summary>
internal sealed class BodyKeys
{
    private readonly Dictionary<string, BodyKeys?> _keys;

    private BodyKeys(Dictionary<string, BodyKeys?> keys) => _keys = keys;

    /// <summary>A body with no keys at all (an empty body, <c>{}</c> or <c>[]</c>).</summary>
    public static BodyKeys None { get; } = Of();

    public static BodyKeys Of(params string[] names) => new(names.ToDictionary(n => n, _ => (BodyKeys?)null, StringComparer.Ordinal));

    /// <summary>These keys plus <paramref name="name"/>, whose value, when an object, may only have <paramref name="nested"/>'s keys.</summary>
    public BodyKeys With(string name, BodyKeys nested) => new(new Dictionary<string, BodyKeys?>(_keys, StringComparer.Ordinal) { [name] = nested });

    /// <summary>Throws a <see cref="RequestRejectedException"/> naming the first key of <paramref name="body"/> that is not allowed.</summary>
    public void Check(JsonObject body) => Check(body, "");

    private void Check(JsonObject body, string path)
    {
        foreach (var (key, value) in body)
        {
            var keyPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!_keys.TryGetValue(key, out var nested))
            {
                var expected = _keys.Count == 0 ? "this call takes no body" : "expected " + string.Join(", ", _keys.Keys);
                throw new RequestRejectedException($"Unknown key '{keyPath}' in the request body ({expected})");
            }

            if (nested is not null && value is JsonObject inner) nested.Check(inner, keyPath);
        }
    }
}
