using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Rejections;

namespace Tidings.Rest;

/// <summary>
/// A request body read the way Copernica reads it: JSON (a top-level <c>[]</c> counts as "nothing") or
/// <c>application/x-www-form-urlencoded</c> with PHP-style brackets (<c>fields[email]=x</c>, <c>interests[]=a</c>),
/// both turned into the same JSON tree. A key given twice keeps its last value, as in PHP (<c>json_decode</c>,
/// <c>$_POST</c>); strict endpoints refuse it instead (<see cref="Strict"/>). Bodies above
/// <see cref="RestOptions.MaxRequestBodyBytes"/> are refused.
/// </summary>
internal sealed class RequestBody
{
    private RequestBody(JsonNode? root, IReadOnlyList<string>? duplicates = null)
    {
        Root = root;
        DuplicateKeys = duplicates ?? [];
    }

    /// <summary>The parsed body; null when the body was empty, <c>[]</c> or JSON <c>null</c>.</summary>
    public JsonNode? Root { get; }

    /// <summary>The body as an object; an empty object when it was empty or not an object.</summary>
    public JsonObject Object => Root as JsonObject ?? [];

    /// <summary>Keys that were given more than once (by path: <c>fields.email</c>, or the form key as sent); the last value counts.</summary>
    public IReadOnlyList<string> DuplicateKeys { get; }

    public static RequestBody Empty { get; } = new(null);

    /// <summary>Reads the body of a strict endpoint: see <see cref="Strict"/>.</summary>
    public static async Task<JsonObject> ReadStrictAsync(HttpContext context, BodyKeys keys) => (await ReadAsync(context)).Strict(keys);

    /// <summary>
    /// The body as an object whose keys are all in <paramref name="keys"/>; a key given twice, an unknown key or a body
    /// that is not an object is refused with a <see cref="RequestRejectedException"/> naming the problem.
    /// </summary>
    public JsonObject Strict(BodyKeys keys)
    {
        if (DuplicateKeys.Count > 0) throw new RequestRejectedException($"Duplicate key '{DuplicateKeys[0]}' in the request body: give each key once");
        if (Root is null) return [];
        if (Root is not JsonObject o) throw new RequestRejectedException("The request body must be a JSON object (or form-encoded keys)");
        keys.Check(o);
        return o;
    }

    public static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RestOptions>>().Value.MaxRequestBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw new RequestRejectedException(TooLarge(limit));
        }

        var bytes = await ReadLimitedAsync(request.Body, limit, context.RequestAborted);
        if (bytes.Length == 0)
        {
            return Empty;
        }

        var contentType = request.ContentType ?? "";
        var looksJson = contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || (!contentType.Contains("form", StringComparison.OrdinalIgnoreCase) && FirstNonSpace(bytes) is (byte)'{' or (byte)'[');
        return looksJson ? ParseJson(bytes) : ParseForm(Encoding.UTF8.GetString(bytes));
    }

    /// <summary>The raw body, for endpoints that parse it themselves; refused above <see cref="RestOptions.MaxRequestBodyBytes"/>.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RestOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new RequestRejectedException(TooLarge(limit));
        }

        return await ReadLimitedAsync(context.Request.Body, limit, context.RequestAborted);
    }

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, MaxDepth = 32 };

    public static RequestBody ParseJson(byte[] utf8)
    {
        // The reader does not check the UTF-8 of string contents until they are read, which would be a 500 later.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw new RequestRejectedException("Invalid JSON in request body: the body is not valid UTF-8");
        JsonNode? node;
        var duplicates = new List<string>();
        try
        {
            // Not disposed: the tree keeps number values as elements of this document.
            var document = JsonDocument.Parse(utf8, JsonOptions);
            node = JsonTree.From(document.RootElement, duplicates);
        }
        catch (JsonException ex)
        {
            throw new RequestRejectedException($"Invalid JSON in request body: {ex.Message}");
        }

        return node switch
        {
            JsonArray { Count: 0 } => Empty,
            _ => new RequestBody(node, duplicates),
        };
    }

    public static RequestBody ParseForm(string body)
    {
        var root = new JsonObject();
        var duplicates = new List<string>();
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            AddBracketed(root, key, value, duplicates);
        }

        return new RequestBody(root.Count == 0 ? null : root, duplicates);
    }

    /// <summary>Deepest bracket nesting a form key may have; the same depth a JSON body may have.</summary>
    private const int MaxFormDepth = 32;

    /// <summary>
    /// Adds <c>a[b][]=v</c> to a JSON tree the way PHP builds <c>$_POST</c>: a later value for the same key replaces the
    /// earlier one, and the key is then added to <paramref name="duplicates"/>.
    /// </summary>
    internal static void AddBracketed(JsonObject root, string key, string value, List<string> duplicates)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || !key.EndsWith(']'))
        {
            if (root.ContainsKey(key)) duplicates.Add(key);
            root[key] = value;
            return;
        }

        var path = new List<string> { key[..open] };
        var rest = key[open..];
        while (rest.Length > 0 && rest[0] == '[')
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) break;
            path.Add(rest[1..close]);
            rest = rest[(close + 1)..];
            if (path.Count > MaxFormDepth) throw new RequestRejectedException($"Invalid form data in request body: key nested deeper than {MaxFormDepth} levels");
        }

        JsonNode container = root;
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            var segment = path[i];
            if (container is JsonArray array)
            {
                // PHP appends for "[]" and treats numeric or named keys of a list as appends too.
                if (last) { array.Add(value); return; }
                var child = new JsonObject();
                array.Add(child);
                container = child;
                continue;
            }

            var obj = (JsonObject)container;
            if (last)
            {
                if (obj.ContainsKey(segment)) duplicates.Add(key);
                obj[segment] = value;
                return;
            }

            var nextIsAppend = path[i + 1].Length == 0;
            if (obj[segment] is not (JsonObject or JsonArray))
            {
                if (obj.ContainsKey(segment)) duplicates.Add(key);
                obj[segment] = nextIsAppend ? new JsonArray() : new JsonObject();
            }

            if (nextIsAppend && obj[segment] is JsonObject existingObject)
            {
                // "a[x]=1&a[]=2": PHP keeps a map and appends with the next integer key.
                var nextIndex = existingObject.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                existingObject[nextIndex] = value;
                return;
            }

            container = obj[segment]!;
        }
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static byte FirstNonSpace(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        }

        return 0;
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new RequestRejectedException(TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string TooLarge(long limit) => $"Request body is larger than the limit of {limit} bytes (setting Rest:MaxRequestBodyBytes)";
}
