namespace Tidings.Rest;

/// <summary>
/// An API request's path as the routes see it (<c>/v3/…</c>), with what the client actually asked for: the version
/// (1, 2, 3, or null for an unversioned path) and the path without its version prefix (v2 answers PUTs with a
/// <c>Location</c> built from it). <see cref="WrongCase"/>: the version prefix or, unversioned, the first segment is
/// an API one in another case (<c>/V3/…</c>, <c>/PROFILE/1</c>); paths are case-sensitive, so it leads nowhere.
/// </summary>
internal sealed record ApiPath(string Path, int? Version, string Unversioned, bool WrongCase)
{
    /// <summary>First path segments of Copernica API paths; an unversioned path starting with one is an API call.</summary>
    private static readonly HashSet<string> Roots = new(StringComparer.Ordinal)
    {
        "identity", "consumption", "databases", "database", "collection", "interest", "profile", "profiles", "subprofile",
        "ms", "publisher", "logfiles", "logfile", "webhooks", "webhook", "domains", "domain", "emailings", "token", "mta",
    };

    private static readonly HashSet<string> RootsInAnyCase = new(Roots, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Maps an incoming path to the <c>/v3</c> routes, or null when it is not an API path. Trailing slashes are
    /// ignored, empty segments after an entity's id are dropped (<c>database/1//fields</c> is
    /// <c>database/1/fields</c>) but an empty id stays (<c>database//fields</c> names no database), and extra parts
    /// after a list resource are ignored, as Copernica does.
    /// </summary>
    public static ApiPath? From(string path)
    {
        if (path.Length > 1) path = path.TrimEnd('/');
        if (path.Length == 0) path = "/";
        var firstEnd = path.IndexOf('/', 1);
        var first = firstEnd < 0 ? path[1..] : path[1..firstEnd];
        var rest = firstEnd < 0 ? "" : path[firstEnd..];

        if (first is ['v', >= '1' and <= '3']) return Make(rest, first[1] - '0', wrongCase: false);
        if (first is ['V', >= '1' and <= '3']) return Make(rest, null, wrongCase: true);
        if (Roots.Contains(first)) return Make(path, null, wrongCase: false);
        if (RootsInAnyCase.Contains(first)) return Make(path, null, wrongCase: true);
        return null;
    }

    private static ApiPath Make(string unversioned, int? version, bool wrongCase) =>
        new(DropExtraAfterList(RestApi.Prefix + DropEmptyAfterId(unversioned)), version, unversioned.Length == 0 ? "/" : unversioned, wrongCase);

    /// <summary>Keeps the first two segments as they are (the entity and its id, even empty) and drops later empty ones.</summary>
    private static string DropEmptyAfterId(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal)) return path;
        var segments = path.Split('/');
        var kept = segments.Take(3).Concat(segments.Skip(3).Where(s => s.Length > 0));
        return string.Join('/', kept);
    }

    /// <summary>Copernica ignores extra path parts after a list resource (<c>database/1/profiles/whatever</c>).</summary>
    private static string DropExtraAfterList(string path)
    {
        var match = RestApi.ListWithExtra().Match(path);
        return match.Success ? match.Groups[1].Value : path;
    }
}
