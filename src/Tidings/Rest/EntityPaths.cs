using Tidings.Rejections;

namespace Tidings.Rest;

/// <summary>Whether the entity a path names exists for the account (id, or name where the entity allows names).</summary>
internal delegate Task<bool> EntityExists(IServiceProvider services, long accountId, string idOrName, CancellationToken ct);

/// <summary>
/// An entity whose id follows its name in the path (<c>database/{id}/…</c>). Features register one per entity; on
/// every such path, whatever the method and whatever follows, the id is checked before anything else.
/// </summary>
/// <param name="Segment">The first path segment (case-sensitive).</param>
/// <param name="NotFound">Copernica's message when the id names nothing (<c>No database with supplied ID</c>).</param>
/// <param name="Exists">Looks the id (or name) up for the caller's account.</param>
/// <param name="ChildrenNeedingId">
/// Child paths that exist only with an id after them, and for which methods: <c>profile/{id}/subprofiles</c> without
/// a collection is "element 3 is missing" for GET, POST and PUT (DELETE has no such path: "Invalid method").
/// </param>
internal sealed record EntityRoot(string Segment, string NotFound, EntityExists Exists, IReadOnlyDictionary<string, string[]> ChildrenNeedingId);

/// <summary>
/// Copernica's order of errors on entity paths (<c>database</c>, <c>collection</c>, <c>profile</c>,
/// <c>subprofile</c>, and everything under them): after the access token, too few elements, then the entity, then
/// the method.
/// <list type="number">
/// <item>Nothing after the entity name (<c>database</c>, <c>profile/</c>): "element 1 is missing", for every method.</item>
/// <item>An id that names nothing for the caller (empty, <c>-1</c>, <c>+6</c>, <c>1%20</c>, unknown): the entity's
/// own message, whatever follows it and whatever the method.</item>
/// <item>A child that needs an id of its own and has none (<c>profile/5/subprofiles</c>): "element N is missing".</item>
/// <item>Anything else that leads to no endpoint for the method: "Invalid method" (left to routing).</item>
/// </list>
/// </summary>
internal static class EntityPaths
{
    /// <summary>Throws the first error the path gives before any endpoint may run; returns when there is none.</summary>
    public static async Task CheckAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(RestApi.Prefix + "/", StringComparison.Ordinal)) return;
        var segments = path[(RestApi.Prefix.Length + 1)..].Split('/');
        var root = http.RequestServices.GetRequiredService<EntityRoots>().Find(segments[0]);
        if (root is null) return;
        var caller = await RestApi.AuthenticateAsync(http) ?? throw new RequestRejectedException(CopernicaErrors.InvalidAccessToken);
        if (segments.Length == 1) throw new RequestRejectedException(CopernicaErrors.MissingPathElement(1));

        var id = segments[1];
        if (id.Length == 0 || !await root.Exists(http.RequestServices, caller.AccountId, id, http.RequestAborted))
        {
            throw new RequestRejectedException(root.NotFound);
        }

        if (segments.Length == 3 && root.ChildrenNeedingId.TryGetValue(segments[2], out var methods)
            && methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            throw new RequestRejectedException(CopernicaErrors.MissingPathElement(3));
        }
    }
}

/// <summary>The registered <see cref="EntityRoot"/>s by their path segment.</summary>
internal sealed class EntityRoots(IEnumerable<EntityRoot> roots)
{
    private readonly Dictionary<string, EntityRoot> _bySegment = roots.ToDictionary(r => r.Segment, StringComparer.Ordinal);

    public EntityRoot? Find(string segment) => _bySegment.GetValueOrDefault(segment);
}
