using System.Text.Json.Serialization;

namespace Tidings.Rest;

/// <summary>
/// A list answer in Copernica's key order: <c>{"start","limit","count","data":[…],"total"}</c>; <c>total</c> is left
/// out when the request said <c>total=false</c>. Each feature registers the <c>Page&lt;TItem&gt;</c> it returns in its
/// own source-generated context.
/// </summary>
internal sealed record Page<T>(
    [property: JsonPropertyName("start")] long Start,
    [property: JsonPropertyName("limit")] long Limit,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("data")] IReadOnlyList<T> Data,
    [property: JsonPropertyName("total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total)
{
    /// <summary>A nested list (the fields of a database, …) that is always returned whole.</summary>
    public static Page<T> Whole(IReadOnlyList<T> items) => new(0, 1000, items.Count, items, items.Count);
}
