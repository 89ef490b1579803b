using System.Globalization;
using System.Text;
using System.Text.Json;
using Tidings.Journal;

namespace Tidings.LogFiles;

/// <summary>One value of a log file row: text, or an integer (written as a JSON number).</summary>
internal readonly record struct LogValue(string? Text, long Number, bool IsNumber)
{
    public static LogValue Of(string? text) => new(text ?? "", 0, false);

    public static LogValue Of(long number) => new(null, number, true);

    public override string ToString() => IsNumber ? Number.ToString(CultureInfo.InvariantCulture) : Text ?? "";
}

/// <summary>What a column is computed from: the source record's type, its local time text and its payload.</summary>
internal readonly record struct LogSource(string Type, string Time, JsonElement Payload);

/// <summary>A column of a log file: its name and how its value is taken from a journal record.</summary>
internal sealed record LogColumn(string Name, Func<LogSource, LogValue> Value);

/// <summary>A log file type (prefix), the journal record types it shows and its columns in file order.</summary>
internal sealed record LogFileType(string Name, IReadOnlyList<string> SourceTypes, IReadOnlyList<LogColumn> Columns);

/// <summary>
/// The mapping from Copernica's log file types to journal record types, with the columns of each type exactly as
/// Copernica documents them, in order. A journal record type not listed here shows in no log file.
/// </summary>
internal static class LogFileTypes
{
    /// <summary>
    /// Record type of a failed webhook delivery (the webhook feature will append these); shown in
    /// <c>feedback-loop-errors</c>, which is only listed for days that have such records.
    /// </summary>
    public const string WebhookFailure = "webhook.failure";

    public static readonly LogFileType Attempts = new("cdm-attempts", [EventTypes.Attempt],
    [
        Id, Time, Int("mailingid", "mailing"), Int("profileid", "profile"), Int("subprofileid", "subprofile"),
        Int("databaseid", "database"), Int("collectionid", "collection"), Text("senderdomain"), Int("templateid", "template"),
        Tags, Text("email"),
    ]);

    public static readonly LogFileType Delivery = new("cdm-delivery", [EventTypes.Delivery],
        [Id, Time, Int("attempts", "attempts"), Text("email"), Tags, Text("senderdomain"), Profile, Subprofile, Template]);

    public static readonly LogFileType Retry = new("cdm-retry", [EventTypes.Retry],
        [Id, Time, Int("attempt", "attempt"), Text("email"), Tags, Text("senderdomain"), Profile, Subprofile, Template]);

    /// <summary>Failures (<c>type</c> = their error type) and DSN bounces (<c>type</c> = <c>bounce</c>).</summary>
    public static readonly LogFileType Error = new("cdm-error", [EventTypes.Failure, EventTypes.Bounce],
    [
        Id, Time, new("type", s => LogValue.Of(s.Type == EventTypes.Bounce ? "bounce" : Str(s.Payload, "errortype"))),
        Text("status"), Text("description"), Text("code"), Text("email"), Tags, Text("senderdomain"), Profile, Subprofile, Template,
    ]);

    public static readonly LogFileType Impression = new("cdm-impression", [EventTypes.Open],
    [
        Id, Time, Text("ip"), Header, Text("email"), Tags, Text("countrycode"), Text("countryname"), Text("regioncode"),
        Text("city"), Text("senderdomain"), Profile, Subprofile, Template,
    ]);

    /// <summary><c>linkinfo</c> is the link's index in the mailing's links (Copernica: "the link ID"); the URL if unknown.</summary>
    public static readonly LogFileType Click = new("cdm-click", [EventTypes.Click],
    [
        Id, Text("senderdomain"), Time, new("linkinfo", s => LogValue.Of(Has(s.Payload, "link") ? Str(s.Payload, "link") : Str(s.Payload, "url"))),
        Text("ip"), Header, Text("email"), Tags, Text("countrycode"), Text("countryname"), Text("regioncode"), Text("city"),
        Profile, Subprofile, Template,
    ]);

    public static readonly LogFileType Unsubscribe = new("cdm-unsubscribe", [EventTypes.Unsubscribe],
        [Id, Time, Text("email"), Tags, Text("senderdomain"), Profile, Subprofile, Template]);

    public static readonly LogFileType FeedbackLoopErrors = new("feedback-loop-errors", [WebhookFailure],
        [Time, Int("response", "response"), Text("recipient"), Header]);

    public static readonly IReadOnlyList<LogFileType> All = [Attempts, Click, Delivery, Error, Impression, Retry, Unsubscribe, FeedbackLoopErrors];

    /// <summary>Every journal record type some log file shows (what the retention sweep may delete).</summary>
    public static readonly IReadOnlyList<string> SourceTypes = All.SelectMany(t => t.SourceTypes).Distinct().ToList();

    public static LogFileType? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static LogColumn Id => new("id", s => LogValue.Of(Str(s.Payload, "message")));

    private static LogColumn Time => new("time", s => LogValue.Of(s.Time));

    private static LogColumn Profile => Int("profile", "profile");

    private static LogColumn Subprofile => Int("subprofile", "subprofile");

    private static LogColumn Template => Int("template", "template");

    private static LogColumn Tags => new("tags", s => LogValue.Of(JoinTags(s.Payload)));

    private static LogColumn Header => new("header", s => LogValue.Of(JoinHeaders(s.Payload)));

    private static LogColumn Text(string name) => new(name, s => LogValue.Of(Str(s.Payload, name)));

    private static LogColumn Int(string name, string key) => new(name, s => LogValue.Of(Long(s.Payload, key)));

    private static bool Has(JsonElement payload, string key) =>
        payload.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    /// <summary>A payload value as text: strings as they are, numbers as written, booleans 1/0, null or missing empty.</summary>
    internal static string Str(JsonElement payload, string key)
    {
        if (!payload.TryGetProperty(key, out var v)) return "";
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "1",
            JsonValueKind.False => "0",
            JsonValueKind.Object or JsonValueKind.Array => v.GetRawText(),
            _ => "",
        };
    }

    /// <summary>A payload value as an integer; 0 when null, missing or not a number (Copernica writes 0 for "none").</summary>
    internal static long Long(JsonElement payload, string key)
    {
        if (!payload.TryGetProperty(key, out var v)) return 0;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
        return 0;
    }

    /// <summary>Tags separated by semicolons, as in Copernica's log files.</summary>
    internal static string JoinTags(JsonElement payload)
    {
        if (!payload.TryGetProperty("tags", out var tags)) return "";
        if (tags.ValueKind == JsonValueKind.String) return tags.GetString() ?? "";
        if (tags.ValueKind != JsonValueKind.Array) return "";
        var sb = new StringBuilder();
        foreach (var tag in tags.EnumerateArray())
        {
            if (sb.Length > 0) sb.Append(';');
            sb.Append(tag.ValueKind == JsonValueKind.String ? tag.GetString() : tag.GetRawText());
        }

        return sb.ToString();
    }

    /// <summary>The request headers as <c>Name: value</c> lines separated by newlines (a string is taken as it is).</summary>
    internal static string JoinHeaders(JsonElement payload)
    {
        if (!payload.TryGetProperty("headers", out var headers) && !payload.TryGetProperty("header", out headers)) return "";
        if (headers.ValueKind == JsonValueKind.String) return headers.GetString() ?? "";
        if (headers.ValueKind != JsonValueKind.Object) return "";
        var sb = new StringBuilder();
        foreach (var h in headers.EnumerateObject())
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(h.Name).Append(": ");
            if (h.Value.ValueKind == JsonValueKind.Array)
            {
                var first = true;
                foreach (var part in h.Value.EnumerateArray())
                {
                    if (!first) sb.Append(", ");
                    sb.Append(part.ValueKind == JsonValueKind.String ? part.GetString() : part.GetRawText());
                    first = false;
                }
            }
            else
            {
                sb.Append(h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString() : h.Value.GetRawText());
            }
        }

        return sb.ToString();
    }
}
