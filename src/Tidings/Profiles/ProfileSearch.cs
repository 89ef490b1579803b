namespace Tidings.Profiles;

/// <summary>
/// One condition of a profile or subprofile search: a field (or <c>id</c>, <c>code</c>, <c>modified</c>), an operator
/// (<c>== != &lt; &gt; &lt;= &gt;= =~ !~</c>) and a value, as REST's <c>fields[]</c> and SOAP's requirements give them.
/// Text compares case-insensitively unless <paramref name="CaseSensitive"/> (SOAP's <c>casesensitive</c>), which makes
/// <c>==</c>, <c>!=</c>, <c>=~</c> and <c>!~</c> on text exact; REST has no case flag.
/// </summary>
internal sealed record SearchCondition(string Field, string Operator, string Value, bool CaseSensitive = false);

/// <summary>
/// A search over the profiles of a database or the subprofiles of a collection: conditions (ANDed), order
/// (<c>OrderBy</c>: a field name or id, <c>id</c>, <c>modified</c> or <c>random</c>; <c>Order</c>: <c>desc</c> or
/// ascending) and the window of rows wanted, with or without the total count.
/// </summary>
internal sealed record ProfileSearch(IReadOnlyList<SearchCondition> Conditions, string? OrderBy, string? Order, long Offset, long Take, bool WithTotal);
