using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Rejections;

namespace Tidings.MtaResults;

/// <summary>One result of a batch: its line number and either the event to append or why it is malformed.</summary>
internal sealed record ParsedResult(int Line, RawEvent? Event, string? Error);

/// <summary>
/// Reads a batch of MTA results (a JSON array, or JSON lines) and turns each into a <see cref="RawEvent"/> keyed by
/// message id, validating every line strictly: a malformed line is reported, never guessed at.
/// </summary>
internal static partial class MtaResultParser
{
    private static readonly string[] CommonFields = ["message", "type", "time", "id"];

    /// <summary>Fields each type accepts besides the common ones (<c>attempt</c>/<c>attempts</c> are aliases).</summary>
    private static readonly Dictionary<string, string[]> TypeFields = new(StringComparer.Ordinal)
    {
        [EventTypes.Delivery] = ["attempts", "attempt", "code", "status", "description"],
        [EventTypes.Retry] = ["attempt", "attempts", "code", "status", "description"],
        [EventTypes.Failure] = ["errortype", "code", "status", "description", "state"],
        [EventTypes.Bounce] = ["code", "status", "description", "recipient", "envelope"],
    };

    /// <summary>Duplicate property names are refused per result by <see cref="Rest.JsonTree"/> (which of the two would count is a guess).</summary>
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    private static readonly DateTimeOffset EarliestTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const int MaxIdLength = 200;
    public const int MaxRecipientLength = 320;

    [GeneratedRegex("^[a-z0-9]{16}$")]
    public static partial Regex MessageIdPattern();

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}$")]
    public static partial Regex StatusPattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$")]
    private static partial Regex StatePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$")]
    private static partial Regex IsoTimePattern();

    /// <summary>True when the body is JSON lines rather than one JSON array.</summary>
    public static bool IsJsonLines(string? contentType, ReadOnlySpan<byte> body)
    {
        var ct = contentType ?? "";
        if (ct.Contains("ndjson", StringComparison.OrdinalIgnoreCase) || ct.Contains("jsonl", StringComparison.OrdinalIgnoreCase)
            || ct.Contains("json-seq", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b != (byte)'[';
        }

        return false;
    }

    /// <summary>
    /// The results of a body, numbered from 1: array elements by position, JSON lines by physical line (blank lines
    /// are skipped but counted). Throws <see cref="RequestRejectedException"/> when the body as a whole is unusable.
    /// </summary>
    public static List<ParsedResult> Parse(string? contentType, byte[] body, long nowMs, MtaResultsOptions options)
    {
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw new RequestRejectedException("The request body holds no results");
        var items = IsJsonLines(contentType, body) ? SplitLines(body) : SplitArray(body);
        if (items.Count == 0) throw new RequestRejectedException("The request body holds no results");
        if (items.Count > options.MaxResultsPerRequest)
        {
            throw new RequestRejectedException($"Too many results: {items.Count}, at most {options.MaxResultsPerRequest} per request (setting Delivery:MaxResultsPerRequest)");
        }

        var results = new List<ParsedResult>(items.Count);
        foreach (var (line, node, parseError) in items)
        {
            if (parseError is not null)
            {
                results.Add(new ParsedResult(line, null, parseError));
                continue;
            }

            try
            {
                results.Add(new ParsedResult(line, ToEvent(node, nowMs, options), null));
            }
            catch (MalformedResultException ex)
            {
                results.Add(new ParsedResult(line, null, ex.Message));
            }
        }

        return results;
    }

    private static List<(int Line, JsonNode? Node, string? Error)> SplitArray(byte[] body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body, ParseOptions).RootElement;
        }
        catch (JsonException ex)
        {
            throw new RequestRejectedException($"Invalid JSON in request body: {ex.Message} (send a JSON array of results, or JSON lines with Content-Type application/x-ndjson)");
        }

        if (root.ValueKind != JsonValueKind.Array) throw new RequestRejectedException("Expected a JSON array of results, or JSON lines");

        // Each element is checked on its own (text that is not valid Unicode, a key given twice): one bad result must not
        // cost the others.
        return root.EnumerateArray().Select((element, i) => Element(i + 1, element)).ToList();
    }

    private static (int Line, JsonNode? Node, string? Error) Element(int line, JsonElement element)
    {
        try
        {
            return (line, Rest.JsonTree.From(element, duplicates: null), null);
        }
        catch (JsonException ex)
        {
            return (line, null, $"Invalid JSON: {ex.Message}");
        }
    }

    private static List<(int Line, JsonNode? Node, string? Error)> SplitLines(byte[] body)
    {
        var result = new List<(int, JsonNode?, string?)>();
        var span = body.AsSpan();
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];
        var lineNumber = 0;
        while (span.Length > 0 || lineNumber == 0)
        {
            lineNumber++;
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            line = line.Trim(" \t\r\u001e"u8);
            if (line.IsEmpty)
            {
                if (span.IsEmpty) break;
                continue;
            }

            if (!System.Text.Unicode.Utf8.IsValid(line))
            {
                result.Add((lineNumber, null, "Invalid JSON: the line is not valid UTF-8"));
                continue;
            }

            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line.ToArray(), ParseOptions).RootElement;
            }
            catch (JsonException ex)
            {
                result.Add((lineNumber, null, $"Invalid JSON: {ex.Message}"));
                continue;
            }

            result.Add(Element(lineNumber, element));
        }

        return result;
    }

    /// <summary>Validates one result and builds its event; throws <see cref="MalformedResultException"/> with the reason.</summary>
    public static RawEvent ToEvent(JsonNode? node, long nowMs, MtaResultsOptions options)
    {
        if (node is not JsonObject o) throw new MalformedResultException("A result must be a JSON object");

        var message = RequiredString(o, "message");
        if (!MessageIdPattern().IsMatch(message)) throw new MalformedResultException("'message' must be a message id: 16 lower-case letters and digits");
        var typeText = RequiredString(o, "type");
        var type = typeText == "error" ? EventTypes.Failure : typeText;
        if (!TypeFields.TryGetValue(type, out var allowed))
        {
            throw new MalformedResultException($"Unknown type '{typeText}': expected delivery, failure (or error), retry or bounce");
        }

        foreach (var (key, _) in o)
        {
            if (!CommonFields.Contains(key) && !allowed.Contains(key))
            {
                throw new MalformedResultException(TypeFields.Values.Any(f => f.Contains(key)) || CommonFields.Contains(key)
                    ? $"Field '{key}' does not apply to type {type}"
                    : $"Unknown field '{key}'");
            }
        }

        long? timeMs = o["time"] is { } t ? Time(t, nowMs) : null;
        var id = OptionalId(o);
        var facts = new JsonObject();
        switch (type)
        {
            case EventTypes.Delivery:
                facts["attempts"] = Attempts(o);
                break;
            case EventTypes.Retry:
                facts["attempt"] = Attempts(o);
                break;
            case EventTypes.Failure:
                var errorType = OptionalString(o, "errortype");
                if (errorType is not (null or "hard" or "soft")) throw new MalformedResultException($"Invalid errortype '{errorType}': expected hard or soft");
                facts["errortype"] = errorType;
                break;
        }

        facts["code"] = Code(o);
        var status = OptionalString(o, "status");
        if (status is not null && !StatusPattern().IsMatch(status)) throw new MalformedResultException($"Invalid status '{status}': expected an extended status code such as 5.1.1");
        facts["status"] = status;
        facts["description"] = Truncate(OptionalString(o, "description"), options.MaxDescriptionChars);
        if (type == EventTypes.Failure)
        {
            var state = OptionalString(o, "state");
            if (state is not null && !StatePattern().IsMatch(state)) throw new MalformedResultException($"Invalid state '{state}': expected an SMTP phase such as rcptto, data or bounce");
            facts["state"] = state;
        }

        if (type == EventTypes.Bounce)
        {
            var recipient = OptionalString(o, "recipient");
            if (recipient is { Length: > MaxRecipientLength }) throw new MalformedResultException($"'recipient' is longer than {MaxRecipientLength} characters");
            facts["recipient"] = recipient;
            facts["envelope"] = Envelope(o);
            facts["mime"] = null;
        }

        var dedupe = DedupeKey(message, type, id, timeMs, facts);
        return new RawEvent(type, DestinationKey.MessageId, message, null, timeMs ?? nowMs, facts, dedupe);
    }

    /// <summary>
    /// With an MTA result id: that id (with message and type), so a replay is recognised whatever else changed.
    /// Without: a hash of the normalised result (message, type, time as given, facts).
    /// </summary>
    private static string DedupeKey(string message, string type, string? id, long? timeMs, JsonObject facts)
    {
        if (id is not null) return "mta:" + Hash($"{message}\n{type}\n{id}");
        var normal = new JsonObject { ["message"] = message, ["type"] = type, ["time"] = timeMs, ["facts"] = facts.DeepClone() };
        return "mta#" + Hash(normal.ToJsonString());
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private static string RequiredString(JsonObject o, string name)
    {
        var value = OptionalString(o, name);
        if (string.IsNullOrWhiteSpace(value)) throw new MalformedResultException($"'{name}' is required");
        return value;
    }

    private static string? OptionalString(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw new MalformedResultException($"'{name}' must be a string");
        return node.GetValue<string>().Trim();
    }

    private static string? OptionalId(JsonObject o)
    {
        var node = o["id"];
        if (node is null) return null;
        var text = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>().Trim(),
            JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw new MalformedResultException("'id' must be a string or an integer"),
        };
        if (text.Length is 0 or > MaxIdLength) throw new MalformedResultException($"'id' must have 1 to {MaxIdLength} characters");
        return text;
    }

    private static long? Attempts(JsonObject o)
    {
        if (o["attempt"] is not null && o["attempts"] is not null) throw new MalformedResultException("Give 'attempt' or 'attempts', not both");
        var name = o["attempt"] is not null ? "attempt" : "attempts";
        var node = o[name];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var n) || n is < 0 or > 10_000)
        {
            throw new MalformedResultException($"'{name}' must be an integer from 0 to 10000");
        }

        return n;
    }

    private static int? Code(JsonObject o)
    {
        var node = o["code"];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var code))
        {
            throw new MalformedResultException("'code' must be an integer SMTP reply code");
        }

        if (code is < 200 or > 599) throw new MalformedResultException($"'code' {code} is out of range: an SMTP reply code is 200 to 599");
        return code;
    }

    private static JsonObject? Envelope(JsonObject o)
    {
        var node = o["envelope"];
        if (node is null) return null;
        if (node is not JsonObject envelope) throw new MalformedResultException("'envelope' must be an object of strings");
        var result = new JsonObject();
        foreach (var (key, value) in envelope.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is null || value.GetValueKind() != JsonValueKind.String) throw new MalformedResultException($"'envelope.{key}' must be a string");
            result[key] = value.GetValue<string>();
        }

        return result;
    }

    private static long Time(JsonNode node, long nowMs)
    {
        long ms;
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                if (!node.AsValue().TryGetValue<double>(out var seconds) || double.IsNaN(seconds) || seconds is < 0 or > 1e11)
                {
                    throw new MalformedResultException("'time' as a number must be Unix seconds");
                }

                ms = (long)Math.Round(seconds * 1000);
                break;
            case JsonValueKind.String:
                var text = node.GetValue<string>().Trim();
                if (!IsoTimePattern().IsMatch(text)
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    throw new MalformedResultException($"Invalid time '{text}': expected ISO 8601 with a time zone (2026-11-22T13:45:00Z) or Unix seconds");
                }

                ms = parsed.ToUnixTimeMilliseconds();
                break;
            default:
                throw new MalformedResultException("'time' must be an ISO 8601 string or Unix seconds");
        }

        if (ms < EarliestTime.ToUnixTimeMilliseconds() || ms > nowMs + (long)TimeSpan.FromDays(1).TotalMilliseconds)
        {
            throw new MalformedResultException("'time' is out of range: before 2000 or more than a day in the future");
        }

        return ms;
    }
}

/// <summary>Why one MTA result cannot be used.</summary>
internal sealed class MalformedResultException(string message) : Exception(message);
