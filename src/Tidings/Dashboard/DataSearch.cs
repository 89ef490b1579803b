using System.Globalization;
using System.Text;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Rest;

namespace Tidings.Dashboard;

/// <summary>
/// A profile or subprofile search as the dashboard's GET form gives it. The form's inputs are named as REST's query
/// parameters (<c>fields[]</c>, <c>orderby</c>, <c>order</c>), so the conditions are parsed by REST's own
/// <see cref="SearchQuery"/> and a search URL can be bookmarked; only paging differs (<c>page</c>, a fixed page size).
/// </summary>
internal sealed class DataSearch
{
    public const int PageSize = 50;

    private DataSearch(IReadOnlyList<string> raw, string? orderBy, string? order, int page)
    {
        Raw = raw;
        OrderBy = orderBy;
        Order = order;
        PageNumber = page;
    }

    /// <summary>The conditions as typed (also those the search refused), to fill the form again.</summary>
    public IReadOnlyList<string> Raw { get; }

    public string? OrderBy { get; }

    public string? Order { get; }

    public int PageNumber { get; }

    public bool Descending => Order is { } o && (o.Equals("desc", StringComparison.OrdinalIgnoreCase) || o.Equals("descending", StringComparison.OrdinalIgnoreCase));

    /// <summary>The inputs the form shows: every condition given and one empty one, at least three.</summary>
    public IReadOnlyList<string> Inputs => [.. Raw, .. Enumerable.Repeat("", Math.Max(1, 3 - Raw.Count))];

    public static DataSearch From(HttpRequest request)
    {
        var raw = QueryValues.Pairs(request)
            .Where(p => p.Name.StartsWith("fields[", StringComparison.Ordinal) && p.Name.EndsWith(']') && !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => p.Value).ToList();
        var page = int.TryParse(QueryValues.Get(request, "page"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        return new DataSearch(raw, Blank(QueryValues.Get(request, "orderby")), Blank(QueryValues.Get(request, "order")), page);
    }

    /// <summary>The search for the services; a condition REST would refuse throws the same <see cref="RequestRejectedException"/>.</summary>
    public static ProfileSearch Search(HttpRequest request, DataSearch form) => new(
        SearchQuery.Conditions(request), form.OrderBy, form.Order, (long)(form.PageNumber - 1) * PageSize, PageSize, WithTotal: true);

    /// <summary>The query string of this search at another page (empty conditions left out, as the form would).</summary>
    public string Query(int page, string? extra = null)
    {
        var query = new StringBuilder();
        void Add(string name, string value) =>
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        foreach (var condition in Raw) Add("fields[]", condition);
        if (OrderBy is not null) Add("orderby", OrderBy);
        if (Order is not null) Add("order", Order);
        if (page > 1) Add("page", page.ToString(CultureInfo.InvariantCulture));
        if (extra is not null) query.Append(query.Length == 0 ? '?' : '&').Append(extra);
        return query.ToString();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
