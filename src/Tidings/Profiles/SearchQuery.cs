using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>A profile or subprofile search as REST's query string gives it: <c>fields[]</c>, <c>orderby</c>, <c>order</c> and paging.</summary>
internal static class SearchQuery
{
    public static ProfileSearch From(HttpRequest request, Paging paging) => new(
        Conditions(request), QueryValues.Get(request, "orderby"), QueryValues.Get(request, "order"), paging.Offset, paging.Take, paging.WithTotal);

    /// <summary>The <c>fields[]</c> conditions; none when the parameter is absent.</summary>
    public static IReadOnlyList<SearchCondition> Conditions(HttpRequest request) =>
        FieldFilter.From(request).Select(c => new SearchCondition(c.Field, c.Operator, c.Value)).ToList();
}
