using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Mailings;
using Tidings.Storage;
using Tidings.Telemetry;

namespace Tidings.Tracking;

/// <summary>
/// The public, unauthenticated tracking endpoints. The open pixel appends an <c>open</c> event for the destination
/// whose token is in the path and then always answers the same transparent GIF, known token or not, so the answer
/// tells nothing about the token. The click redirect only ever leads to a link stored with the mailing (by its
/// index): anything else in the request is ignored, so it cannot be used as an open redirect. Recorded events are
/// durable (group-committed by <see cref="JournalWriter"/>) before the answer is sent.
/// </summary>
internal sealed class TrackingEndpoints(JournalWriter journal, IStorage storage, Enricher enricher, ClientAddress clientAddress, GeoLocator geo, IOptions<TrackingOptions> options, TimeProvider time)
{
    /// <summary>A transparent 1×1 GIF (43 bytes).</summary>
    public static ReadOnlyMemory<byte> Pixel { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    /// <summary>The spans of the two endpoints (see docs/operations.md, "Traces").</summary>
    public const string OpenSpan = "tidings.tracking.open", ClickSpan = "tidings.tracking.click";

    private const string NoStore = "no-store, no-cache, must-revalidate, private";
    private const string GifSuffix = ".gif";

    /// <summary>Longest token worth looking up; real tokens are 22 characters (16 random bytes, base64url).</summary>
    private const int MaxTokenLength = 64;

    private static readonly ReadOnlyMemory<byte> NotFoundPage = System.Text.Encoding.UTF8.GetBytes(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not found</title></head>" +
        "<body><p>This link is not valid (any more).</p></body></html>\n");

    private readonly TrackingOptions _options = options.Value;
    private readonly HashSet<string> _excluded = new(options.Value.ExcludedHeaders, StringComparer.OrdinalIgnoreCase);

    public static void Map(IEndpointRouteBuilder app, TrackingEndpoints endpoints, bool enableNullPixel)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods(TrackingUrls.OpenRoute, methods, endpoints.OpenAsync).ExcludeFromDescription();
        app.MapMethods(TrackingUrls.ClickRoute, methods, endpoints.ClickAsync).ExcludeFromDescription();
        if (enableNullPixel) app.MapMethods("/t/null.gif", methods, WritePixelAsync).ExcludeFromDescription();
    }

    /// <summary>Records an open (if the token is a destination's) and answers the pixel.</summary>
    public async Task OpenAsync(HttpContext http)
    {
        // Null while tracing is off; under the request's own span (ASP.NET Core's) when it is on.
        using var span = TidingsDiagnostics.StartChildSpan(OpenSpan);
        var token = TokenOf(http);
        if (token is not null)
        {
            await journal.AppendAsync(new RawEvent(EventTypes.Open, DestinationKey.Token, token, null, Now(), Facts(http)), http.RequestAborted);
        }

        await WritePixelAsync(http);
    }

    /// <summary>Records a click on a link of the destination's mailing and redirects to it; anything unknown gets a 404 page.</summary>
    public async Task ClickAsync(HttpContext http)
    {
        using var span = TidingsDiagnostics.StartChildSpan(ClickSpan);
        var token = TokenOf(http);
        var url = token is null ? null : await LinkAsync(token, http.Request.RouteValues["link"], http.RequestAborted);
        if (url is null)
        {
            span?.SetTag("tidings.tracking.outcome", "not_found");
            await WriteNotFoundAsync(http);
            return;
        }

        var facts = Facts(http);
        facts["url"] = url.Value.Url;
        facts["link"] = url.Value.Index;
        var outcome = await journal.AppendAsync(new RawEvent(EventTypes.Click, DestinationKey.Token, token!, null, Now(), facts), http.RequestAborted);
        if (outcome == AppendOutcome.UnknownDestination)
        {
            span?.SetTag("tidings.tracking.outcome", "not_found");
            await WriteNotFoundAsync(http);
            return;
        }

        span?.SetTag("tidings.tracking.outcome", "redirect");

        http.Response.StatusCode = StatusCodes.Status302Found;
        http.Response.Headers.CacheControl = NoStore;
        http.Response.Headers.Location = LocationOf(url.Value.Url);
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.ContentLength = 0;
    }

    public static Task WritePixelAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "image/gif";
        response.ContentLength = Pixel.Length;
        response.Headers.CacheControl = NoStore;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(Pixel).AsTask();
    }

    private static Task WriteNotFoundAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = NotFoundPage.Length;
        response.Headers.CacheControl = NoStore;
        response.Headers.XContentTypeOptions = "nosniff";
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(NotFoundPage).AsTask();
    }

    /// <summary>The token in the path (without <c>.gif</c>), or null if it cannot be one (so it is not looked up).</summary>
    private static string? TokenOf(HttpContext http)
    {
        if (http.Request.RouteValues["token"] is not string token) return null;
        if (token.EndsWith(GifSuffix, StringComparison.OrdinalIgnoreCase)) token = token[..^GifSuffix.Length];
        if (token.Length is 0 or > MaxTokenLength) return null;
        foreach (var ch in token)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not '-' and not '_') return null;
        }

        return token;
    }

    /// <summary>The stored link with the requested index of the token's mailing, or null if either is unknown.</summary>
    private async Task<(string Url, int Index)?> LinkAsync(string token, object? linkValue, CancellationToken ct)
    {
        if (!int.TryParse(linkValue as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)) return null;
        await using var c = await storage.OpenReadAsync(ct);
        var mailingId = await MailingStore.MailingOfTokenAsync(c, token, ct);
        if (mailingId is null) return null;
        var links = (await enricher.MailingAsync(c, null, mailingId.Value)).Links;
        return index < links.Count && links[index] is JsonValue v && v.TryGetValue<string>(out var url) ? (url, index) : null;
    }

    /// <summary>
    /// The stored link as a header value: as stored when it is plain printable ASCII (the usual case), else escaped
    /// by <see cref="Uri"/> (non-ASCII host or path, spaces), so no stored link can break or split the response headers.
    /// </summary>
    private static string LocationOf(string url)
    {
        foreach (var ch in url)
        {
            if (ch is < '!' or > '~') return new Uri(url, UriKind.Absolute).AbsoluteUri;
        }

        return url;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// What the request says about the client: <c>ip</c>, <c>useragent</c>, <c>referer</c>, <c>headers</c>, and where the
    /// address is (<see cref="GeoLocator"/>).
    /// </summary>
    private JsonObject Facts(HttpContext http)
    {
        var request = http.Request;
        var headers = new JsonObject();
        var budget = _options.MaxHeaderBytes;
        foreach (var (name, values) in request.Headers)
        {
            if (_excluded.Contains(name)) continue;
            var value = Cut(values.Count == 1 ? values[0] : values.ToString());
            var cost = name.Length + value.Length;
            if (cost > budget) continue;
            budget -= cost;
            headers[name] = value;
        }

        var ip = clientAddress.Resolve(http);
        var facts = new JsonObject
        {
            ["ip"] = ip?.ToString(),
            ["useragent"] = Cut(request.Headers.UserAgent.ToString()),
            ["referer"] = Cut(request.Headers.Referer.ToString()),
            ["headers"] = headers,
        };
        geo.AddTo(facts, ip);
        return facts;
    }

    private string Cut(string? value) => value is null ? "" : value.Length <= _options.MaxValueLength ? value : value[.._options.MaxValueLength];
}
