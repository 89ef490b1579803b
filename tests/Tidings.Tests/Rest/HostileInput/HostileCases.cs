using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tidings.Tests.Rest.HostileInput;

/// <summary>A request body: its bytes and the <c>Content-Type</c> sent with it (none when null).</summary>
public sealed record BodyCase(string Name, byte[] Body, string? ContentType);

/// <summary>
/// The hostile inputs: whole bodies that are broken in themselves, mutations of a valid body (every value and key of
/// it in turn), form-encoded variants, query strings and path segments. Each case has a name that says what it is.
/// </summary>
public static class HostileCases
{
    public const string Json = "application/json";
    public const string Form = "application/x-www-form-urlencoded";

    private static readonly string LongText = new('x', 200_000);

    /// <summary>JSON values put in place of each value of a valid body.</summary>
    private static readonly (string Name, string Json)[] Values =
    [
        ("lone high surrogate", "\"\\ud800\""),
        ("lone low surrogate", "\"x\\udc00y\""),
        ("two high surrogates", "\"\\ud800\\ud800\""),
        ("null character", "\"a\\u0000b\""),
        ("far-future date", "\"9999-12-31 23:59:59\""),
        ("far-past date", "\"0001-01-01\""),
        ("number beyond double", "1e400"),
        ("negative number beyond double", "-1e400"),
        ("30-digit integer", "123456789012345678901234567890"),
        ("below long", "-9223372036854775809"),
        ("tiny number", "4.9e-400"),
        ("empty array", "[]"),
        ("empty object", "{}"),
        ("nested arrays", "[[[\"x\"]]]"),
        ("object", "{\"x\":{\"y\":1}}"),
        ("true", "true"),
        ("null", "null"),
        ("empty string", "\"\""),
        ("200 kB string", "\"" + LongText + "\""),
        ("object with a duplicate key", "{\"k\":1,\"k\":2}"),
    ];

    /// <summary>Bodies that are hostile whatever the endpoint.</summary>
    public static IEnumerable<BodyCase> WholeBodies(string? seedJson)
    {
        yield return new("empty body", [], Json);
        yield return new("empty body, no content type", [], null);
        foreach (var literal in new[] { "{}", "[]", "null", "\"text\"", "42", "[1,2]", "true", "-0", "1e99999" })
        {
            yield return Text($"JSON {literal}", literal, Json);
        }

        yield return Text("truncated JSON", seedJson is { Length: > 2 } s ? s[..(s.Length / 2)] : "{\"a\":", Json);
        yield return Text("unclosed string", "{\"a\":\"b", Json);
        yield return Text("lone surrogate key", "{\"\\ud800\":1}", Json);
        yield return Text("lone surrogate value", "{\"a\":\"\\ud800\"}", Json);
        yield return Text("lone surrogates nested", "{\"a\\udc00b\":{\"\\ud800\":[\"\\udfff\"]}}", Json);
        yield return Text("duplicate key", "{\"name\":\"a\",\"name\":\"b\"}", Json);
        yield return Text("duplicate nested key", "{\"fields\":{\"email\":\"a@b.nl\",\"email\":\"c@d.nl\"}}", Json);
        yield return Text("duplicate key in an array element", "[{\"a\":1,\"a\":2}]", Json);
        yield return Bytes("invalid UTF-8 in a value", "{\"a\":\""u8, [0xC3, 0x28], "\"}"u8, Json);
        yield return Bytes("invalid UTF-8 in a key", "{\""u8, [0xFF], "\":1}"u8, Json);
        yield return Bytes("UTF-8 encoded surrogate", "{\"name\":\""u8, [0xED, 0xA0, 0x80], "\"}"u8, Json);
        yield return Bytes("raw null byte in a string", "{\"a\":\""u8, [0x00], "\"}"u8, Json);
        yield return Bytes("byte order mark", [], [0xEF, 0xBB, 0xBF], "{}"u8, Json);
        yield return Text("deep arrays", new string('[', 200) + new string(']', 200), Json);
        yield return Text("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200), Json);
        yield return Text("200 kB key", "{\"" + LongText + "\":1}", Json);
        yield return Text("200 kB value", "{\"name\":\"" + LongText + "\"}", Json);

        var body = seedJson ?? "{\"name\":\"x\"}";
        foreach (var type in new[] { "text/plain", "application/xml", "application/json; charset=utf-16", "application/x-ndjson", "multipart/form-data", "multipart/form-data; boundary=zz", Form })
        {
            yield return Text($"JSON sent as {type}", body, type);
        }

        yield return Text("JSON without a content type", body, null);
        yield return Text("multipart garbage", "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--zz", "multipart/form-data; boundary=zz");
        foreach (var garbage in new[] { "%%%&&==", "a[=1", "a]]=1&[]=2", "=&=&=", "%ZZ=%ZZ", "a" + string.Concat(Enumerable.Repeat("[b]", 40)) + "=1" })
        {
            yield return Text($"form garbage {garbage[..Math.Min(12, garbage.Length)]}", garbage, Form);
        }

        yield return Bytes("form with raw invalid UTF-8", "name="u8, [0xFF, 0xFE], "&a=b"u8, Form);
    }

    /// <summary>The valid body with, in turn, each value replaced, each key doubled, misspelt or made invalid.</summary>
    public static IEnumerable<BodyCase> JsonMutations(JsonNode seed)
    {
        foreach (var (path, key) in Slots(seed, ""))
        {
            foreach (var (name, json) in Values)
            {
                yield return Text($"{path} = {name}", Write(seed, new Mutation(path, Value: json)), Json);
            }

            if (key is null) continue;
            yield return Text($"{path} given twice", Write(seed, new Mutation(path, Second: "\"other\"")), Json);
            yield return Text($"{path} key as lone surrogate", Write(seed, new Mutation(path, Key: "\"\\ud800\"")), Json);
            yield return Text($"{path} key upper case", Write(seed, new Mutation(path, Key: JsonSerializer.Serialize(key.ToUpperInvariant()))), Json);
            yield return Text($"{path} key misspelt", Write(seed, new Mutation(path, Key: JsonSerializer.Serialize(key + "x"))), Json);
        }
    }

    /// <summary>The valid body form-encoded, then with hostile values and keys.</summary>
    public static IEnumerable<BodyCase> FormCases(JsonNode seed)
    {
        if (seed is not JsonObject) yield break;
        var pairs = new List<(string Key, string Value)>();
        Flatten(seed, "", pairs);
        string Join(IEnumerable<(string Key, string Value)> p) => string.Join('&', p.Select(x => x.Key + "=" + x.Value));
        string Escaped(string s) => Uri.EscapeDataString(s);

        yield return Text("form: valid", Join(pairs.Select(p => (p.Key, Escaped(p.Value)))), Form);
        foreach (var (name, raw) in new[]
                 {
                     ("invalid UTF-8", "%ED%A0%80"), ("invalid UTF-8 pair", "%C3%28"), ("null byte", "a%00b"), ("far-future date", "9999-12-31+23%3A59%3A59"),
                     ("huge number", "1e400"), ("30-digit integer", "123456789012345678901234567890"), ("bad percent", "%E0%A4%A"), ("200 kB", LongText),
                 })
        {
            yield return Text($"form: every value {name}", Join(pairs.Select(p => (p.Key, raw))), Form);
        }

        yield return Text("form: every key twice", Join(pairs.SelectMany(p => new[] { (p.Key, Escaped(p.Value)), (p.Key, "other") })), Form);
        yield return Text("form: keys as value, map and list", Join(pairs.SelectMany(p => new[] { (p.Key, "1"), (p.Key + "[a]", "2"), (p.Key + "[]", "3"), (p.Key, "4") })), Form);
        yield return Text("form: keys invalid UTF-8", Join(pairs.Select(p => ("%FF" + p.Key, Escaped(p.Value)))), Form);
    }

    /// <summary>A raw body with each marked slot (<c>«name»</c>) replaced in turn by hostile bytes, the others by their defaults.</summary>
    public static IEnumerable<BodyCase> RawMutations(string template, IReadOnlyDictionary<string, string> defaults, string contentType)
    {
        byte[] Fill(string slot, byte[] value)
        {
            var bytes = new List<byte>();
            var rest = template;
            while (rest.IndexOf('«', StringComparison.Ordinal) is var open and >= 0)
            {
                var close = rest.IndexOf('»', open);
                var name = rest[(open + 1)..close];
                bytes.AddRange(Encoding.UTF8.GetBytes(rest[..open]));
                bytes.AddRange(name == slot ? value : Encoding.UTF8.GetBytes(defaults[name]));
                rest = rest[(close + 1)..];
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(rest));
            return bytes.ToArray();
        }

        yield return new("raw: valid", Fill("", []), contentType);
        foreach (var slot in defaults.Keys)
        {
            foreach (var (name, value) in new (string, byte[])[]
                     {
                         ("invalid UTF-8", [0xC3, 0x28, 0xFF]), ("UTF-8 surrogate", [0xED, 0xA0, 0x80]), ("null byte", [0x41, 0x00, 0x42]),
                         ("far-future date", "Fri, 31 Dec 9999 23:59:59 +0000"u8.ToArray()), ("far-past date", "Mon, 1 Jan 0001 00:00:00 +0000"u8.ToArray()),
                         ("huge number", "99999999999999999999.99999.99999"u8.ToArray()), ("empty", []), ("200 kB", Encoding.ASCII.GetBytes(LongText)),
                     })
            {
                yield return new($"raw: {slot} {name}", Fill(slot, value), contentType);
            }
        }
    }

    /// <summary>Query strings with hostile values for the parameters the endpoints read.</summary>
    public static IReadOnlyList<(string Name, string Query)> Queries { get; } =
    [
        ("paging beyond long", "start=99999999999999999999&limit=99999999999999999999&total=true"),
        ("negative paging", "start=-5&limit=-5&total=1e400"),
        ("paging not numbers", "limit=1e400&start=NaN"),
        ("filter with invalid UTF-8", "fields[]=email==%ED%A0%80&fields[]=%C3%28==x&fields[]=city==%FF"),
        ("filter far-future modified", "fields[]=modified>9999-12-31+23:59:59"),
        ("filter far-past modified", "fields[]=modified<0001-01-01+00:00:00&fields[]=modified==0000-00-00"),
        ("filter huge id", "fields[]=id>99999999999999999999999&fields[]=age<1e400"),
        ("filter with null byte", "fields[]=city=~%00&fields[]=%00==x"),
        ("filter not a list", "fields=x&fields[a][b]=c"),
        ("ordering with invalid UTF-8", "orderby=%ED%A0%80&order=desc&dataonly=%00"),
        ("log date far future", "date=9999-12-31&type=cdm-click"),
        ("log date far past", "date=0001-01-01"),
        ("log date invalid UTF-8", "date=%ED%A0%80&type=%00"),
        ("statistics far-future window", "begintime=9999-12-31+23:59:59&endtime=0001-01-01+00:00:00"),
        ("statistics huge window", "begintime=99999999999999999999&endtime=-99999999999999999999"),
        ("consumption far future", "begin=9999-12-31&end=9999-12-31"),
        ("consumption whole calendar", "begin=0001-01-01&end=9999-12-31"),
        ("download positions beyond long", "from=99999999999999999999&after=99999999999999999999&header=%ED"),
        ("replay times far apart", "from=9999-12-31+23:59:59&to=0001-01-01+00:00:00"),
        ("mailing filters hostile", "fromdate=9999-12-31&todate=0001-01-01&mindestinations=99999999999999999999&maxdestinations=-1&type=%00"),
        ("status invalid UTF-8", "status=%ED%A0%80&return=%00&unique=1e400"),
        ("5 kB filter", "fields[]=city==" + new string('x', 5000)),
    ];

    /// <summary>Values put in place of each path parameter.</summary>
    public static IReadOnlyList<(string Name, string Segment)> PathValues { get; } =
    [
        ("zero", "0"), ("minus one", "-1"), ("plus six", "+6"), ("beyond long", "99999999999999999999"), ("exponent", "1e400"),
        ("invalid UTF-8", "%ED%A0%80"), ("invalid UTF-8 pair", "%C3%28"), ("raw FF", "%FF"), ("space", "%20"), ("escaped slash", "a%2Fb"),
        ("3000 characters", new string('7', 3000)), ("far-future date", "9999-12-31"),
        ("log file far future", "cdm-click.9999-12-31.log"), ("log file far past", "cdm-click.0001-01-01.log"), ("log file of attempts far future", "cdm-attempts.9999-12-31.log"),
    ];

    private sealed record Mutation(string Path, string? Value = null, string? Second = null, string? Key = null);

    /// <summary>Every value's path in the tree (<c>fields.email</c>, <c>links[0]</c>), with its key when it is an object member.</summary>
    private static IEnumerable<(string Path, string? Key)> Slots(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    yield return (child, key);
                    foreach (var inner in Slots(value, child)) yield return inner;
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    yield return (child, null);
                    foreach (var inner in Slots(a[i], child)) yield return inner;
                }

                break;
        }
    }

    /// <summary>Writes the tree as JSON text with one mutation applied (a replaced value, a doubled or renamed key).</summary>
    private static string Write(JsonNode? root, Mutation m)
    {
        var sb = new StringBuilder();
        Write(sb, root, "", m);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, string path, Mutation m)
    {
        if (m.Value is not null && path == m.Path)
        {
            sb.Append(m.Value);
            return;
        }

        switch (node)
        {
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    var name = m.Key is not null && child == m.Path ? m.Key : JsonSerializer.Serialize(key);
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(name).Append(':');
                    Write(sb, value, child, m);
                    if (m.Second is not null && child == m.Path) sb.Append(',').Append(name).Append(':').Append(m.Second);
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, a[i], $"{path}[{i}]", m);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }

    /// <summary>PHP-style form pairs of a tree: <c>fields[email]=…</c>, <c>tags[]=…</c>.</summary>
    private static void Flatten(JsonNode? node, string key, List<(string, string)> pairs)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o) Flatten(v, key.Length == 0 ? k : $"{key}[{k}]", pairs);
                break;
            case JsonArray a:
                foreach (var item in a) Flatten(item, item is JsonObject ? $"{key}[{a.IndexOf(item)}]" : key + "[]", pairs);
                break;
            case JsonValue v:
                pairs.Add((key, v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()));
                break;
            default:
                pairs.Add((key, ""));
                break;
        }
    }

    private static BodyCase Text(string name, string text, string? contentType) => new(name, Encoding.UTF8.GetBytes(text), contentType);

    private static BodyCase Bytes(string name, ReadOnlySpan<byte> head, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> tail, string? contentType) =>
        new(name, [.. head, .. middle, .. tail], contentType);
}
