using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// Receives a webhook payload's fields in order (see <see cref="WebhookPayloads"/>): values copied from the journal
/// payload, and the few the server computes. One layout feeds three sinks, so the tree, the form body and the JSON body
/// cannot disagree.
/// </summary>
internal interface IPayloadSink
{
    /// <summary>A value from the journal payload, as it is (<see cref="JsonValueKind.Undefined"/>: a null).</summary>
    void Value(string key, JsonElement value);

    void Text(string key, string? value);

    void Number(string key, long value);
}

/// <summary>Builds the payload as a <see cref="JsonObject"/> (tests, test calls, JSON batches).</summary>
internal sealed class JsonObjectSink : IPayloadSink
{
    public JsonObject Result { get; } = new();

    public void Value(string key, JsonElement value) =>
        Result[key] = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonSerializer.SerializeToNode(value);

    public void Text(string key, string? value) => Result[key] = value;

    public void Number(string key, long value) => Result[key] = value;
}

/// <summary>
/// Writes the payload as one JSON object straight into a <see cref="Utf8JsonWriter"/> (no tree in between: every
/// delivery makes one), alone or as an element of a batch's array.
/// </summary>
internal sealed class JsonBodySink(Utf8JsonWriter writer) : IPayloadSink
{
    /// <summary>The writer settings of every JSON body: characters as they are, only what JSON requires escaped.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Value(string key, JsonElement value)
    {
        writer.WritePropertyName(key);
        if (value.ValueKind == JsonValueKind.Undefined) writer.WriteNullValue();
        else value.WriteTo(writer);
    }

    public void Text(string key, string? value)
    {
        if (value is null) writer.WriteNull(key);
        else writer.WriteString(key, value);
    }

    public void Number(string key, long value) => writer.WriteNumber(key, value);
}

/// <summary>
/// Writes the payload as PHP's <c>http_build_query</c> encodes it (RFC 1738 <c>urlencode</c> per UTF-8 byte, space as
/// <c>+</c>): maps as <c>fields%5Bname%5D=x</c>; lists of scalars as <c>tags%5B%5D=a</c>, lists holding maps with their
/// index; <c>true</c>/<c>false</c> as <c>1</c>/<c>0</c>; nulls and empty maps or lists left out.
/// </summary>
internal sealed class FormBodySink : IPayloadSink
{
    private readonly ByteBuffer _body = new(512);
    private readonly ByteBuffer _key = new(64);

    public void Value(string key, JsonElement value)
    {
        StartKey(key);
        Append(value);
    }

    public void Text(string key, string? value)
    {
        if (value is null) return;
        StartKey(key);
        Pair(value);
    }

    public void Number(string key, long value)
    {
        StartKey(key);
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Pair(digits[..n]);
    }

    public byte[] ToArray() => _body.Span.ToArray();

    private void StartKey(string key)
    {
        _key.Length = 0;
        UrlEncode(_key, key);
    }

    private void Append(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject()) Nested(property.Name, property.Value);
                return;
            case JsonValueKind.Array:
                var scalars = true;
                foreach (var item in value.EnumerateArray()) scalars &= item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);
                var index = 0;
                foreach (var item in value.EnumerateArray()) Nested(scalars ? "" : (index++).ToString(CultureInfo.InvariantCulture), item);
                return;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value);
                // The raw bytes between the quotes are the text unless it has escapes (rare in a payload).
                if (raw.IndexOf((byte)'\\') < 0) Pair(raw[1..^1]);
                else Pair(value.GetString()!);
                return;
            case JsonValueKind.Number:
                Pair(JsonMarshal.GetRawUtf8Value(value));
                return;
            case JsonValueKind.True:
                Pair("1"u8);
                return;
            case JsonValueKind.False:
                Pair("0"u8);
                return;
            default:
                return; // null, undefined: left out
        }
    }

    private void Nested(string key, JsonElement value)
    {
        var mark = _key.Length;
        _key.Add("%5B"u8);
        UrlEncode(_key, key);
        _key.Add("%5D"u8);
        Append(value);
        _key.Length = mark;
    }

    private void PairStart()
    {
        if (_body.Length > 0) _body.Add((byte)'&');
        _body.Add(_key.Span);
        _body.Add((byte)'=');
    }

    private void Pair(ReadOnlySpan<byte> utf8)
    {
        PairStart();
        // Runs of characters that stay as they are are copied whole; only the bytes between them are encoded one by one.
        while (!utf8.IsEmpty)
        {
            var run = utf8.IndexOfAnyExcept(Unreserved);
            if (run < 0)
            {
                _body.Add(utf8);
                return;
            }

            _body.Add(utf8[..run]);
            Add(_body, utf8[run]);
            utf8 = utf8[(run + 1)..];
        }
    }

    private static readonly SearchValues<byte> Unreserved = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."u8);

    private void Pair(string text)
    {
        PairStart();
        UrlEncode(_body, text);
    }

    /// <summary>PHP's <c>urlencode</c>: letters, digits and <c>-_.</c> as they are, space as <c>+</c>, every other UTF-8 byte as <c>%XX</c>.</summary>
    public static string UrlEncode(string s)
    {
        var bytes = new ByteBuffer(s.Length * 3);
        UrlEncode(bytes, s);
        return Encoding.ASCII.GetString(bytes.Span);
    }

    private static void UrlEncode(ByteBuffer to, string s)
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
    }
}
