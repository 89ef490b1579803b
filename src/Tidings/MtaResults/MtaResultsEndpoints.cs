using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tidings.Events;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.MtaResults;

/// <summary>
/// REST v3: the mail transfer agent reports results (<c>mta/results</c>) and forwards bounce messages
/// (<c>mta/dsn</c>). Every usable result is appended to the journal about the destination with that message id in the
/// caller's account, once: a replayed result is recognised by its dedupe key and counted as a duplicate.
/// </summary>
internal static class MtaResultsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Mail transfer agent");
        g.MapPost("/mta/results", async (HttpContext http, JournalWriter journal, CopernicaTime time, IOptions<MtaResultsOptions> options) =>
        {
            var accountId = http.Caller().AccountId;
            var body = await RequestBody.ReadBytesAsync(http);
            var parsed = MtaResultParser.Parse(http.Request.ContentType, body, time.NowMs(), options.Value);
            var good = parsed.Where(p => p.Event is not null).ToList();
            var outcomes = await journal.AppendAllAsync(good.Select(p => p.Event! with { AccountId = accountId }), http.RequestAborted);
            var summary = Summary.Of(outcomes, good.Select(p => p.Line).ToList());

            var bad = parsed.Where(p => p.Error is not null).ToList();
            if (bad.Count == 0) return CopernicaJson.Write(w => summary.Write(w));
            return CopernicaJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("message", $"{bad.Count} of {parsed.Count} results are malformed and were not stored; the other {good.Count} were processed (recorded {summary.Recorded}, duplicates {summary.Duplicates}, unknown message id {summary.Unknown.Count})");
                w.WriteStartArray("errors");
                foreach (var b in bad.Take(options.Value.MaxReportedErrors))
                {
                    w.WriteStartObject();
                    w.WriteNumber("line", b.Line);
                    w.WriteString("message", b.Error);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                summary.WriteFields(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }, StatusCodes.Status400BadRequest);
        }).WithSummary("Delivery results of the mail transfer agent, as a JSON array or JSON lines (application/x-ndjson): {message, type (delivery, failure, retry, bounce), time, code, status, description, attempt(s), errortype, state, recipient, envelope, id}");

        g.MapPost("/mta/dsn", async (HttpContext http, JournalWriter journal, CopernicaTime time, IOptions<MtaResultsOptions> options) =>
        {
            var accountId = http.Caller().AccountId;
            var body = await RequestBody.ReadBytesAsync(http);
            if (body.Length == 0) throw new RequestRejectedException("The request body is empty: expected an RFC 3464 delivery status notification");
            var report = DsnReader.Read(body, http.Request.ContentType, time.NowMs(), options.Value);
            var outcomes = await journal.AppendAllAsync(report.Recipients.Select(r => r.Event with { AccountId = accountId }), http.RequestAborted);
            var summary = Summary.Of(outcomes, report.Recipients.Select(r => r.Index).ToList());
            return CopernicaJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("message", report.MessageId);
                summary.WriteFields(w);
                w.WriteEndObject();
            });
        }).WithSummary("A bounce message: a raw RFC 3464 delivery status notification (multipart/report; report-type=delivery-status), recorded as bounce, retry or delivery per recipient");
    }

    /// <summary>What became of the usable results: recorded, duplicates, and the numbers of those with an unknown message id.</summary>
    private sealed record Summary(int Recorded, int Duplicates, IReadOnlyList<int> Unknown)
    {
        public static Summary Of(AppendOutcome[] outcomes, IReadOnlyList<int> numbers) => new(
            outcomes.Count(o => o == AppendOutcome.Recorded),
            outcomes.Count(o => o == AppendOutcome.Duplicate),
            numbers.Where((_, i) => outcomes[i] == AppendOutcome.UnknownDestination).ToList());

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            WriteFields(w);
            w.WriteEndObject();
        }

        public void WriteFields(Utf8JsonWriter w)
        {
            w.WriteNumber("recorded", Recorded);
            w.WriteNumber("duplicates", Duplicates);
            w.WriteStartArray("unknown");
            foreach (var n in Unknown) w.WriteNumberValue(n);
            w.WriteEndArray();
        }
    }
}
