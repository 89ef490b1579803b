using Microsoft.AspNetCore.Routing.Patterns;

namespace Tidings.Rest;

/// <summary>
/// Copernica's paths are case-sensitive (<c>GET PROFILE/1</c> is "Invalid method"), but ASP.NET Core routing matches
/// literals in any case. After routing, an API request whose path spells a literal of the matched route in another
/// case is refused.
/// </summary>
internal static class PathCase
{
    public static bool MatchesRoute(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint) return true;
        var segments = (http.Request.Path.Value ?? "").TrimStart('/').Split('/');
        var pattern = endpoint.RoutePattern.PathSegments;
        for (var i = 0; i < pattern.Count; i++)
        {
            if (pattern[i].Parts is [RoutePatternLiteralPart literal]
                && (i >= segments.Length || !string.Equals(literal.Content, segments[i], StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
