using Microsoft.Extensions.Options;

namespace Tidings.Rest;

/// <summary>
/// <c>start</c>/<c>limit</c>/<c>total</c> of a list request. Copernica echoes odd values back (a negative start
/// returns no items but is echoed) and omits <c>total</c> when <c>total=false</c>.
/// </summary>
internal sealed record Paging(long Start, long Limit, bool WithTotal)
{
    public long Offset => Math.Max(Start, 0);

    public long Take => Start < 0 ? 0 : Math.Max(Limit, 0);

    public static Paging From(HttpRequest request)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<RestOptions>>().Value;
        var start = QueryValues.Get(request, "start") is { } s ? QueryValues.PhpInt(s) : 0;
        var limit = QueryValues.Get(request, "limit") is { } l ? QueryValues.PhpInt(l) : options.DefaultLimit;
        if (limit > options.MaxLimit) limit = options.MaxLimit;
        var withTotal = QueryValues.Flag(request, "total", whenAbsent: true);
        return new Paging(start, limit, withTotal);
    }

    /// <summary>The page of <paramref name="items"/> as Copernica answers a list request; serialise it with <see cref="CopernicaJson.Json{T}"/>.</summary>
    public Page<T> Page<T>(IReadOnlyList<T> items, long? total) => new(Start, Limit, items.Count, items, WithTotal ? total : null);
}
