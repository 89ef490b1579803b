using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Journal;
using Tidings.Rest;

namespace Tidings.Webhooks.Outbound;

/// <summary>One journal record as the webhook engine reads it (see docs/events.md for the payload per type).</summary>
internal sealed record JournalEvent(string EventId, string Type, long OccurredMs, JsonObject Payload);

/// <summary>One journal record as stored: its payload still JSON text, in UTF-8.</summary>
internal sealed record JournalText(string EventId, string Type, long OccurredMs, ReadOnlyMemory<byte> Payload);

/// <summary>How a webhook body is encoded.</summary>
internal enum WebhookFormat
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
internal sealed class WebhookPayloads(CopernicaTime time)
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
        var sink = new JsonObjectSink();
        return Write(e.EventId, e.Type, e.OccurredMs, JsonSerializer.SerializeToElement(e.Payload), sink) ? sink.Result : null;
    }

    /// <summary>
    /// The body of one event in the webhook's format, written straight from the journal payload (no tree in between:
    /// every delivery makes one); null when no webhook reports its type.
    /// </summary>
    public (byte[] Body, string ContentType)? Encode(string eventId, string journalType, long occurredMs, JsonElement payload, WebhookFormat format)
    {
        if (format == WebhookFormat.Json)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using var writer = new Utf8JsonWriter(buffer, JsonBodySink.Options);
            if (!WriteJson(writer, eventId, journalType, occurredMs, payload)) return null;
            writer.Flush();
            return (buffer.WrittenSpan.ToArray(), JsonContentType);
        }

        var form = new FormBodySink();
        return Write(eventId, journalType, occurredMs, payload, form) ? (form.ToArray(), FormContentType) : null;
    }

    /// <summary>
    /// A batch (opt-in): the events' payloads as one JSON array, in order, each written straight from its journal
    /// payload (an event no webhook reports is an empty object, so positions still match).
    /// </summary>
    public byte[] EncodeBatch(IEnumerable<JournalText> events)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonBodySink.Options))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                using var json = JsonDocument.Parse(e.Payload);
                if (!WriteJson(writer, e.EventId, e.Type, e.OccurredMs, json.RootElement))
                {
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The webhook fields of a journal event as one JSON object written to <paramref name="writer"/>; false (nothing written) when no webhook reports its type.</summary>
    public bool WriteJson(Utf8JsonWriter writer, string eventId, string journalType, long occurredMs, JsonElement payload)
    {
        if (WebhookType(journalType) is null) return false;
        writer.WriteStartObject();
        Write(eventId, journalType, occurredMs, payload, new JsonBodySink(writer));
        writer.WriteEndObject();
        return true;
    }

    /// <summary>Writes the webhook fields of a journal event to <paramref name="sink"/>; false when no webhook reports its type.</summary>
    public bool Write(string eventId, string journalType, long occurredMs, JsonElement payload, IPayloadSink sink)
    {
        var type = WebhookType(journalType);
        if (type is null) return false;
        if (type is "create" or "update" or "delete") ProfileChange(type, journalType, eventId, occurredMs, payload, sink);
        else MailingEvent(type, eventId, occurredMs, payload, sink);
        return true;
    }

    private void MailingEvent(string type, string eventId, long occurredMs, JsonElement p, IPayloadSink o)
    {
        o.Value("id", Get(p, "message"));
        o.Text("type", type);
        o.Text("timestamp", time.FormatMs(occurredMs));
        o.Number("time", UnixSeconds(occurredMs));

        switch (type)
        {
            case "bounce":
                o.Value("recipient", Get(p, "email"));
                o.Value("envelope", Get(p, "envelope"));
                o.Value("mime", Get(p, "mime"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                break;
            case "failure":
                o.Value("recipient", Get(p, "email"));
                o.Text("action", "failure");
                o.Value("state", Get(p, "state"));
                o.Value("code", Get(p, "code"));
                o.Value("extended", Get(p, "status"));
                o.Value("description", Get(p, "description"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                break;
            case "delivery":
                o.Value("recipient", Get(p, "email"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                // Not in Copernica's table, but in SMTPeter's delivery webhook (the same MTA result).
                o.Value("code", Get(p, "code"));
                o.Value("extended", Get(p, "status"));
                o.Value("description", Get(p, "description"));
                break;
            case "click":
                o.Value("recipient", Get(p, "email"));
                o.Value("ip", Get(p, "ip"));
                o.Value("original", Get(p, "url"));
                o.Value("useragent", Get(p, "useragent"));
                o.Value("referer", Get(p, "referer"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                break;
            case "open":
                o.Value("recipient", Get(p, "email"));
                o.Value("ip", Get(p, "ip"));
                o.Value("useragent", Get(p, "useragent"));
                o.Value("referer", Get(p, "referer"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                break;
            case "unsubscribe":
                // Copernica's table: id (one unsubscribe per message, so the message id), type, timestamp, time,
                // database, profile, mailing; the rest is the same enrichment as the other mailing events.
                o.Value("database", Get(p, "database"));
                o.Value("profile", Get(p, "profile"));
                o.Value("mailing", Get(p, "mailing"));
                o.Value("recipient", Get(p, "email"));
                o.Value("tags", ArrayOrEmpty(p, "tags"));
                break;
        }

        // Enrichment: "the ID of the profile and the mailing" (product update 2021-12-08) and "the e-mail address,
        // profile data and linked tags" (webhooks overview). Names as in the unsubscribe webhook (which has them above).
        if (type != "unsubscribe")
        {
            o.Value("mailing", Get(p, "mailing"));
            o.Value("profile", Get(p, "profile"));
        }

        if (Present(p, "subprofile") is { } subprofile) o.Value("subprofile", subprofile);
        if (type != "unsubscribe") o.Value("database", Get(p, "database"));
        if (Present(p, "collection") is { } collection) o.Value("collection", collection);
        o.Value("fields", ObjectOrEmpty(p, "fields"));
        o.Value("interests", ArrayOrEmpty(p, "interests"));
        if (Get(p, "subprofilefields") is { ValueKind: JsonValueKind.Object } subFields) o.Value("subprofilefields", subFields);
        o.Text("event", eventId);
    }

    private void ProfileChange(string type, string journalType, string eventId, long occurredMs, JsonElement p, IPayloadSink o)
    {
        var sub = journalType.StartsWith("subprofile.", StringComparison.Ordinal);
        o.Value("id", Get(p, sub ? "subprofile" : "profile"));
        o.Text("type", type);
        // Copernica's older payloads (and its Dutch example) name it "action": both, with the same value.
        o.Text("action", type);
        if (type != "delete") o.Value("parameters", ObjectOrEmpty(p, "parameters"));
        o.Text("timestamp", time.FormatMs(occurredMs));
        o.Number("time", UnixSeconds(occurredMs));
        if (sub) o.Value("subprofile", Get(p, "subprofile"));
        o.Value("profile", Get(p, "profile"));
        o.Value("database", Get(p, "database"));
        if (sub) o.Value("collection", Get(p, "collection"));
        if (type != "delete")
        {
            o.Text("created", Local(Get(p, "created")));
            o.Text("modified", Local(Get(p, "modified")));
        }

        o.Value("fields", ObjectOrEmpty(p, "fields"));
        if (!sub && type != "delete") o.Value("interests", ArrayOrEmpty(p, "interests"));
        o.Text("event", eventId);
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

    /// <summary>The payload as PHP's <c>http_build_query</c> encodes it (see <see cref="FormBodySink"/>).</summary>
    public static string ToForm(JsonObject payload) => Encoding.ASCII.GetString(ToFormBytes(payload));

    /// <summary><see cref="ToForm"/> as the ASCII bytes of the body.</summary>
    public static byte[] ToFormBytes(JsonObject payload)
    {
        var form = new FormBodySink();
        foreach (var property in JsonSerializer.SerializeToElement(payload).EnumerateObject()) form.Value(property.Name, property.Value);
        return form.ToArray();
    }

    /// <summary>PHP's <c>urlencode</c>: letters, digits and <c>-_.</c> as they are, space as <c>+</c>, every other UTF-8 byte as <c>%XX</c>.</summary>
    public static string UrlEncode(string s) => FormBodySink.UrlEncode(s);

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static long UnixSeconds(long ms) => Math.DivRem(ms, 1000) is var (q, r) && r < 0 ? q - 1 : q;

    private string? Local(JsonElement unixMs) =>
        unixMs.ValueKind == JsonValueKind.Number && unixMs.TryGetInt64(out var ms) ? time.FormatMs(ms) : null;

    /// <summary>The payload's value for <paramref name="key"/>; <see cref="JsonValueKind.Undefined"/> when absent.</summary>
    private static JsonElement Get(JsonElement p, string key) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(key, out var value) ? value : default;

    /// <summary>The value when present and not null.</summary>
    private static JsonElement? Present(JsonElement p, string key) =>
        Get(p, key) is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? value : null;

    private static JsonElement ObjectOrEmpty(JsonElement p, string key) => Get(p, key) is { ValueKind: JsonValueKind.Object } value ? value : EmptyObject;

    private static JsonElement ArrayOrEmpty(JsonElement p, string key) => Get(p, key) is { ValueKind: JsonValueKind.Array } value ? value : EmptyArray;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;
}
