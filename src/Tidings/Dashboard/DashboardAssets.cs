using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Tidings.Dashboard;

/// <summary>
/// The dashboard's style sheet and images, embedded in the server (no CDN, nothing to deploy beside it) and served
/// under <c>/dashboard/assets/</c>. Pages link them with a content hash in the query, so a browser may keep them for a
/// year and still fetches the new one after an upgrade.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "Tidings.Dashboard.Assets.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, Asset> _assets = Load();

    /// <summary>The URL of an asset with its version, e.g. <c>/dashboard/assets/dashboard.css?v=…</c>.</summary>
    public string Url(string name) => $"{DashboardPaths.Assets}/{name}?v={_assets[name].Version}";

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet(DashboardPaths.Assets + "/{name}", (string name, HttpContext context) =>
        {
            if (!_assets.TryGetValue(name, out var asset)) return Results.NotFound();
            var headers = context.Response.Headers;
            headers.CacheControl = context.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
            headers.ETag = $"\"{asset.Version}\"";
            if (context.Request.Headers.IfNoneMatch == headers.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(asset.Content, asset.ContentType);
        }).ExcludeFromDescription();

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            assets[name] = new Asset(content, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), version);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
