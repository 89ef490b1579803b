using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;
using Tidings.Events;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.MtaResults;

/// <summary>One per-recipient result of a DSN, numbered from 1 in the order of the report.</summary>
internal sealed record DsnRecipient(int Index, RawEvent Event);

/// <summary>What a delivery status notification says: our message id and one event per recipient.</summary>
internal sealed record DsnReport(string MessageId, IReadOnlyList<DsnRecipient> Recipients);

/// <summary>
/// Reads an RFC 3464 delivery status notification (<c>multipart/report; report-type=delivery-status</c>) with MimeKit:
/// the per-recipient fields of its <c>message/delivery-status</c> part become <c>bounce</c> (action failed),
/// <c>retry</c> (delayed) or <c>delivery</c> (delivered, relayed, expanded) events about the original message, which is
/// found by its Tidings message id.
/// </summary>
internal static partial class DsnReader
{
    /// <summary>The header our outgoing messages carry their message id in.</summary>
    public const string MessageIdHeader = "X-Tidings-Message-ID";

    [GeneratedRegex(@"^\s*(?<code>[2-5]\d\d)(?:[\s-]+(?<status>[245]\.\d{1,3}\.\d{1,3}))?")]
    private static partial Regex SmtpReply();

    [GeneratedRegex(@"^(?<id>[a-z0-9]{16})(?:[.\-+_=].*)?$")]
    private static partial Regex MessageIdLocalPart();

    /// <summary>Parses a DSN; throws <see cref="RequestRejectedException"/> with a clear reason when it is not a usable one.</summary>
    public static DsnReport Read(byte[] body, string? requestContentType, long nowMs, MtaResultsOptions options)
    {
        var raw = body;
        // A client may post only the MIME body, with the multipart/report type (and boundary) as the request's Content-Type.
        if (requestContentType is { } ct && ct.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            raw = [.. Encoding.ASCII.GetBytes($"Content-Type: {ct}\r\nMIME-Version: 1.0\r\n\r\n"), .. body];
        }

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (Exception ex) when (ex is FormatException or ParseException)
        {
            throw new RequestRejectedException($"Not a delivery status notification: the message cannot be parsed ({ex.Message})");
        }

        var status = message.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault()
            ?? throw new RequestRejectedException("Not a delivery status notification: no message/delivery-status part (expected multipart/report; report-type=delivery-status, RFC 3464)");
        if (status.StatusGroups.Count < 2)
        {
            throw new RequestRejectedException("The delivery status notification has no per-recipient fields (Final-Recipient, Action, Status)");
        }

        var perMessage = status.StatusGroups[0];
        var original = message.BodyParts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        var messageId = FindMessageId(original, perMessage)
            ?? throw new RequestRejectedException($"No Tidings message id in the delivery status notification: expected the returned original headers (text/rfc822-headers or message/rfc822) with an {MessageIdHeader} header or a Message-ID whose local part starts with the message id, or an Original-Envelope-Id that is the message id");

        var text = Encoding.UTF8.GetString(body);
        var mime = MtaResultParser.Truncate(text, options.MaxStoredReportChars);
        var reportKey = message.MessageId is { Length: > 0 } dsnId ? "id:" + dsnId : "hash:" + MtaResultParser.Hash(text);
        var reportTime = Date(perMessage["Arrival-Date"]) ?? (message.Date != DateTimeOffset.MinValue ? message.Date.ToUnixTimeMilliseconds() : (long?)null);

        var recipients = new List<DsnRecipient>();
        for (var i = 1; i < status.StatusGroups.Count; i++)
        {
            var fields = status.StatusGroups[i];
            var action = (fields["Action"] ?? "").Trim().ToLowerInvariant();
            var type = action switch
            {
                "failed" => EventTypes.Bounce,
                "delayed" => EventTypes.Retry,
                "delivered" or "relayed" or "expanded" => EventTypes.Delivery,
                _ => null,
            };
            if (type is null) continue; // an action we cannot map (or none): nothing to say about this recipient

            var diagnostic = AfterType(fields["Diagnostic-Code"]);
            var reply = diagnostic is null ? null : SmtpReply().Match(diagnostic);
            var statusCode = fields["Status"]?.Trim();
            if (statusCode is not null && !MtaResultParser.StatusPattern().IsMatch(statusCode)) statusCode = null;
            statusCode ??= reply is { Success: true } && reply.Groups["status"].Success ? reply.Groups["status"].Value : null;
            var recipient = AfterType(fields["Final-Recipient"]) ?? AfterType(fields["Original-Recipient"]);

            var facts = new JsonObject();
            if (type == EventTypes.Delivery) facts["attempts"] = null;
            if (type == EventTypes.Retry) facts["attempt"] = null;
            facts["code"] = reply is { Success: true } ? int.Parse(reply.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            facts["status"] = statusCode;
            facts["description"] = MtaResultParser.Truncate(diagnostic, options.MaxDescriptionChars);
            facts["recipient"] = MtaResultParser.Truncate(recipient, MtaResultParser.MaxRecipientLength);
            facts["envelope"] = Envelope(perMessage, fields, message);
            facts["mime"] = mime;

            var occurred = Date(fields["Last-Attempt-Date"]) ?? reportTime ?? nowMs;
            var dedupe = "dsn:" + MtaResultParser.Hash($"{reportKey}\n{i}\n{recipient}\n{action}");
            recipients.Add(new DsnRecipient(recipients.Count + 1, new RawEvent(type, DestinationKey.MessageId, messageId, null, Math.Min(occurred, nowMs + 86_400_000), facts, dedupe)));
        }

        if (recipients.Count == 0)
        {
            throw new RequestRejectedException("The delivery status notification has no recipient with a known Action (failed, delayed, delivered, relayed, expanded)");
        }

        return new DsnReport(messageId, recipients);
    }

    /// <summary>
    /// Our message id, from (in this order) the returned original's <c>X-Tidings-Message-ID</c> header, the DSN's
    /// <c>Original-Envelope-Id</c> (ENVID), or the local part of the returned original's <c>Message-ID</c>
    /// (<c>&lt;id@domain&gt;</c>, or the id followed by <c>.</c>, <c>-</c>, <c>+</c>, <c>_</c> or <c>=</c> and more).
    /// </summary>
    private static string? FindMessageId(MimeMessage? original, HeaderList perMessage)
    {
        if (original?.Headers[MessageIdHeader]?.Trim().Trim('<', '>').ToLowerInvariant() is { } header && MtaResultParser.MessageIdPattern().IsMatch(header)) return header;
        if (perMessage["Original-Envelope-Id"]?.Trim() is { } envid && MtaResultParser.MessageIdPattern().IsMatch(envid)) return envid;
        var messageId = original?.MessageId;
        if (messageId is null) return null;
        var at = messageId.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? messageId : messageId[..at];
        var match = MessageIdLocalPart().Match(local);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The value of a typed DSN field (<c>rfc822; a@b.nl</c>, <c>smtp; 550 …</c>) without its type.</summary>
    private static string? AfterType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var unfolded = Regex.Replace(value, @"\s+", " ").Trim(); // folded lines leave runs of white space
        var semicolon = unfolded.IndexOf(';', StringComparison.Ordinal);
        var result = semicolon < 0 ? unfolded : unfolded[(semicolon + 1)..].Trim();
        return result.Length == 0 ? null : result;
    }

    private static JsonObject Envelope(HeaderList perMessage, HeaderList perRecipient, MimeMessage dsn)
    {
        var envelope = new JsonObject();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) envelope[key] = value.Trim();
        }

        Add("reportingmta", AfterType(perMessage["Reporting-MTA"]));
        Add("envelopeid", perMessage["Original-Envelope-Id"]);
        Add("arrivaldate", perMessage["Arrival-Date"]);
        Add("originalrecipient", AfterType(perRecipient["Original-Recipient"]));
        Add("remotemta", AfterType(perRecipient["Remote-MTA"]));
        Add("lastattemptdate", perRecipient["Last-Attempt-Date"]);
        Add("willretryuntil", perRecipient["Will-Retry-Until"]);
        Add("dsnfrom", dsn.From?.ToString());
        Add("dsnmessageid", dsn.MessageId);
        return envelope;
    }

    private static long? Date(string? value) =>
        value is not null && DateUtils.TryParse(value.Trim(), out var date) ? date.ToUnixTimeMilliseconds() : null;
}
