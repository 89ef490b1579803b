using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Events;
using Tidings.Rest;

namespace Tidings.Webhooks.Delivery;

/// <summary>One journal record as the webhook engine reads it (see docs/events.md for the payload per type).</summary>
public sealed record JournalEvent(string EventId, string Type, long OccurredMs, JsonObject Payload);

/// <summary>How a webhook body is encoded.</summary>
public enum WebhookFormat
{
    /// <summary><c>application/x-www-form-urlencoded</c> with PHP-style brackets, as Copernica documents (the default).</summary>
    Form,

    /// <summary><c>application/json</c>: the same fields as one JSON object.</summary>
    Json,
}

/// <summary>
/// Copernica's webhook payloads: the documented fields per webhook type (<c>bounce</c>, <c>failure</c>,
/// <c>delivery</c>, <c>click</c>, <c>open</c>, <c>unsubscribe</c>, <c>create</c>, <c>update</c>, <c>delete</c>), built
/// from a journal event, plus the enrichment Copernica announced without naming it (profile, mailing, fields, …), and
/// their encodings: form (PHP <c>http_build_query</c> style), JSON, and a JSON array for batches.
/// </summary>
public sealed class WebhookPayloads(CopernicaTime time)
{
    public const string FormContentType = "application/x-www-form-urlencoded";
    public const string JsonContentType = "application/json";

    /// <summary>The webhook type (Copernica's <c>type</c>, the REST <c>trigger</c>) of a journal type; null when no webhook reports it.</summary>
    public static string? WebhookType(string journalType) => journalType switch
    {
        EventTypes.Open => "open",
        EventTypes.Click => "click",
        EventTypes.Delivery => "delivery",
        EventTypes.Failure => "failure",
        EventTypes.Bounce => "bounce",
        EventTypes.Unsubscribe => "unsubscribe",
        EventTypes.ProfileCreate or EventTypes.SubprofileCreate => "create",
        EventTypes.ProfileUpdate or EventTypes.SubprofileUpdate => "update",
        EventTypes.ProfileDelete or EventTypes.SubprofileDelete => "delete",
        _ => null,
    };

    /// <summary>The webhook fields for a journal event, in the reference tables' order; null when no webhook reports its type.</summary>
    public JsonObject? Build(JournalEvent e)
    {
        var type = WebhookType(e.Type);
        if (type is null) return null;
        var p = e.Payload;
        return type switch
        {
            "create" or "update" or "delete" => ProfileChange(type, e),
            _ => MailingEvent(type, e, p),
        };
    }

    private JsonObject MailingEvent(string type, JournalEvent e, JsonObject p)
    {
        var o = new JsonObject
        {
            ["id"] = Copy(p, "message"),
            ["type"] = type,
            ["timestamp"] = time.FormatMs(e.OccurredMs),
            ["time"] = UnixSeconds(e.OccurredMs),
        };

        switch (type)
        {
            case "bounce":
                o["recipient"] = Copy(p, "email");
                o["envelope"] = Copy(p, "envelope");
                o["mime"] = Copy(p, "mime");
                o["tags"] = Tags(p);
                break;
            case "failure":
                o["recipient"] = Copy(p, "email");
                o["action"] = "failure";
                o["state"] = Copy(p, "state");
                o["code"] = Copy(p, "code");
                o["extended"] = Copy(p, "status");
                o["description"] = Copy(p, "description");
                o["tags"] = Tags(p);
                break;
            case "delivery":
                o["recipient"] = Copy(p, "email");
                o["tags"] = Tags(p);
                // Not in Copernica's table, but in SMTPeter's delivery webhook (the same MTA result).
                o["code"] = Copy(p, "code");
                o["extended"] = Copy(p, "status");
                o["description"] = Copy(p, "description");
                break;
            case "click":
                o["recipient"] = Copy(p, "email");
                o["ip"] = Copy(p, "ip");
                o["original"] = Copy(p, "url");
                o["useragent"] = Copy(p, "useragent");
                o["referer"] = Copy(p, "referer");
                o["tags"] = Tags(p);
                break;
            case "open":
                o["recipient"] = Copy(p, "email");
                o["ip"] = Copy(p, "ip");
                o["useragent"] = Copy(p, "useragent");
                o["referer"] = Copy(p, "referer");
                o["tags"] = Tags(p);
                break;
            case "unsubscribe":
                // Copernica's table: id (one unsubscribe per message, so the message id), type, timestamp, time,
                // database, profile, mailing; the rest is the same enrichment as the other mailing events.
                o["database"] = Copy(p, "database");
                o["profile"] = Copy(p, "profile");
                o["mailing"] = Copy(p, "mailing");
                o["recipient"] = Copy(p, "email");
                o["tags"] = Tags(p);
                break;
        }

        // Enrichment: "the ID of the profile and the mailing" (product update 2021-12-08) and "the e-mail address,
        // profile data and linked tags" (webhooks overview). Names as in the unsubscribe webhook.
        SetIfAbsent(o, "mailing", Copy(p, "mailing"));
        SetIfAbsent(o, "profile", Copy(p, "profile"));
        if (p["subprofile"] is not null) o["subprofile"] = Copy(p, "subprofile");
        SetIfAbsent(o, "database", Copy(p, "database"));
        if (p["collection"] is not null) o["collection"] = Copy(p, "collection");
        o["fields"] = p["fields"] as JsonObject is { } fields ? fields.DeepClone() : new JsonObject();
        o["interests"] = p["interests"] as JsonArray is { } interests ? interests.DeepClone() : new JsonArray();
        if (p["subprofilefields"] is JsonObject subFields) o["subprofilefields"] = subFields.DeepClone();
        o["event"] = e.EventId;
        return o;
    }

    private JsonObject ProfileChange(string type, JournalEvent e)
    {
        var p = e.Payload;
        var sub = e.Type.StartsWith("subprofile.", StringComparison.Ordinal);
        var o = new JsonObject
        {
            ["id"] = Copy(p, sub ? "subprofile" : "profile"),
            ["type"] = type,
            // Copernica's older payloads (and its Dutch example) name it "action": both, with the same value.
            ["action"] = type,
        };
        if (type != "delete") o["parameters"] = p["parameters"] as JsonObject is { } parameters ? parameters.DeepClone() : new JsonObject();
        o["timestamp"] = time.FormatMs(e.OccurredMs);
        o["time"] = UnixSeconds(e.OccurredMs);
        if (sub) o["subprofile"] = Copy(p, "subprofile");
        o["profile"] = Copy(p, "profile");
        o["database"] = Copy(p, "database");
        if (sub) o["collection"] = Copy(p, "collection");
        if (type != "delete")
        {
            o["created"] = Local(p["created"]);
            o["modified"] = Local(p["modified"]);
        }

        o["fields"] = p["fields"] as JsonObject is { } fields ? fields.DeepClone() : new JsonObject();
        if (!sub && type != "delete") o["interests"] = p["interests"] as JsonArray is { } interests ? interests.DeepClone() : new JsonArray();
        o["event"] = e.EventId;
        return o;
    }

    /// <summary>The encoded body and its content type.</summary>
    public static (byte[] Body, string ContentType) Encode(JsonObject payload, WebhookFormat format) => format switch
    {
        WebhookFormat.Json => (ToJson(payload), JsonContentType),
        _ => (ToFormBytes(payload), FormContentType),
    };

    /// <summary>One payload as a JSON object (nulls kept, so every documented key is present).</summary>
    public static byte[] ToJson(JsonObject payload) => JsonSerializer.SerializeToUtf8Bytes(payload, JsonOptions);

    /// <summary>Several payloads as one JSON array, in order (opt-in batching).</summary>
    public static byte[] ToJsonBatch(IEnumerable<JsonObject> payloads)
    {
        var array = new JsonArray();
        foreach (var payload in payloads) array.Add(payload.DeepClone());
        return JsonSerializer.SerializeToUtf8Bytes(array, JsonOptions);
    }

    /// <summary>
    /// The payload as PHP's <c>http_build_query</c> encodes it (RFC 1738: <c>urlencode</c>, space as <c>+</c>, brackets
    /// escaped): maps as <c>fields%5Bname%5D=x</c>; lists of scalars as <c>tags%5B%5D=a</c> (Copernica's documented
    /// <c>interests[]=xyz</c>; PHP builds the same <c>$_POST</c> list as from <c>tags[0]=a</c>), lists holding maps with
    /// their index; <c>true</c>/<c>false</c> as <c>1</c>/<c>0</c>; null values and empty maps or lists are left out, as
    /// <c>http_build_query</c> leaves them out.
    /// </summary>
    public static string ToForm(JsonObject payload) => Encoding.ASCII.GetString(ToFormBytes(payload));

    /// <summary><see cref="ToForm"/> as the ASCII bytes of the body, written directly (every delivery encodes one).</summary>
    public static byte[] ToFormBytes(JsonObject payload)
    {
        var form = new FormWriter();
        foreach (var (key, value) in payload)
        {
            form.Key.Length = 0;
            FormWriter.UrlEncode(form.Key, key);
            form.Append(value);
        }

        return form.Body.ToArray();
    }

    /// <summary>PHP's <c>urlencode</c>: letters, digits and <c>-_.</c> as they are, space as <c>+</c>, every other UTF-8 byte as <c>%XX</c>.</summary>
    public static string UrlEncode(string s)
    {
        var bytes = new ByteBuffer(s.Length * 3);
        FormWriter.UrlEncode(bytes, s);
        return Encoding.ASCII.GetString(bytes.Span);
    }

    /// <summary>The body being written, and the encoded key of the value at hand (its brackets as <c>%5B…%5D</c>).</summary>
    private sealed class FormWriter
    {
        public ByteBuffer Body { get; } = new(512);

        public ByteBuffer Key { get; } = new(64);

        public void Append(JsonNode? value)
        {
            switch (value)
            {
                case null:
                    return;
                case JsonObject obj:
                    foreach (var (k, v) in obj) Nested(k, v);
                    return;
                case JsonArray array:
                    var scalars = array.All(item => item is null or JsonValue);
                    for (var i = 0; i < array.Count; i++) Nested(scalars ? "" : i.ToString(CultureInfo.InvariantCulture), array[i]);
                    return;
                case JsonValue scalar:
                    if (Body.Length > 0) Body.Add((byte)'&');
                    Body.Add(Key.Span);
                    Body.Add((byte)'=');
                    UrlEncode(Body, ScalarText(scalar));
                    return;
            }
        }

        private void Nested(string key, JsonNode? value)
        {
            var mark = Key.Length;
            Key.Add("%5B"u8);
            UrlEncode(Key, key);
            Key.Add("%5D"u8);
            Append(value);
            Key.Length = mark;
        }

        public static void UrlEncode(ByteBuffer to, string s)
        {
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < s.Length; i++)
            {
                // ASCII (nearly every character of a payload) is encoded as it is; anything else through its UTF-8 bytes.
                if (s[i] < 0x80)
                {
                    Add(to, (byte)s[i]);
                    continue;
                }

                Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var used);
                var n = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < n; k++) Add(to, utf8[k]);
                i += used - 1;
            }
        }

        private static void Add(ByteBuffer to, byte b)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.')
            {
                to.Add(b);
            }
            else if (b == (byte)' ')
            {
                to.Add((byte)'+');
            }
            else
            {
                to.Add((byte)'%');
                to.Add((byte)"0123456789ABCDEF"[b >> 4]);
                to.Add((byte)"0123456789ABCDEF"[b & 15]);
            }
        }
    }

    /// <summary>A growable byte array whose length can also be set back (to leave a nested key).</summary>
    private sealed class ByteBuffer(int capacity)
    {
        private byte[] _bytes = new byte[Math.Max(16, capacity)];
        private int _length;

        public int Length
        {
            get => _length;
            set => _length = Math.Clamp(value, 0, _length);
        }

        public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

        public void Add(byte b)
        {
            if (_length == _bytes.Length) Array.Resize(ref _bytes, _bytes.Length * 2);
            _bytes[_length++] = b;
        }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes.Length));
            bytes.CopyTo(_bytes.AsSpan(_length));
            _length += bytes.Length;
        }

        public byte[] ToArray() => Span.ToArray();
    }

    private static string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        _ => value.ToJsonString(),
    };

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static long UnixSeconds(long ms) => Math.DivRem(ms, 1000) is var (q, r) && r < 0 ? q - 1 : q;

    private string? Local(JsonNode? unixMs) =>
        unixMs is JsonValue v && v.TryGetValue<long>(out var ms) ? time.FormatMs(ms) : null;

    private static JsonNode? Copy(JsonObject p, string key) => p[key]?.DeepClone();

    private static JsonNode Tags(JsonObject p) => p["tags"] as JsonArray is { } tags ? tags.DeepClone() : new JsonArray();

    private static void SetIfAbsent(JsonObject o, string key, JsonNode? value)
    {
        if (!o.ContainsKey(key)) o[key] = value;
    }
}
