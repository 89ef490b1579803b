using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Tidings.Events;
using Tidings.Rest;
using Tidings.Rejections;
using Tidings.Telemetry;

namespace Tidings.MtaResults;

/// <summary>
/// REST v3: the mail transfer agent reports results (<c>mta/results</c>) and forwards bounce messages
/// (<c>mta/dsn</c>). Every usable result is appended to the journal about the destination with that message id in the
/// caller's account, once: a replayed result is recognised by its dedupe key and counted as a duplicate.
/// </summary>
internal static class MtaResultsEndpoints
{
    /// <summary>The spans of the two endpoints (see docs/operations.md, "Traces").</summary>
    public const string ResultsSpan = "tidings.mta.results", DsnSpan = "tidings.mta.dsn";

    public static void Map(RouteGroupBuilder api)
    {
        // Not rate limited: the mail transfer agent reports in batches, and a refused report would only come back later.
        var g = api.MapGroup("").WithTags("Mail transfer agent").DisableRateLimiting();
        g.MapPost("/mta/results", async Task<Results<CopernicaJsonResult<MtaSummaryAnswer>, CopernicaJsonResult<MtaRejectedAnswer>>> (HttpContext http, JournalWriter journal, CopernicaTime time, IOptions<MtaResultsOptions> options) =>
        {
            using var span = TidingsDiagnostics.StartChildSpan(ResultsSpan);
            var accountId = http.Caller().AccountId;
            var body = await RequestBody.ReadBytesAsync(http);
            var parsed = MtaResultParser.Parse(http.Request.ContentType, body, time.NowMs(), options.Value);
            var good = parsed.Where(p => p.Event is not null).ToList();
            var outcomes = await journal.AppendAllAsync(good.Select(p => p.Event! with { AccountId = accountId }), http.RequestAborted);
            var summary = MtaSummaryAnswer.Of(outcomes, good.Select(p => p.Line).ToList());
            span?.SetTag("tidings.mta.results", parsed.Count);
            span?.SetTag("tidings.mta.rejected", parsed.Count - good.Count);

            var bad = parsed.Where(p => p.Error is not null).ToList();
            if (bad.Count == 0) return CopernicaJson.Json(summary, MtaResultsJsonContext.Default.MtaSummaryAnswer);
            var errors = bad.Take(options.Value.MaxReportedErrors).Select(b => new MtaLineError(b.Line, b.Error!)).ToList();
            return CopernicaJson.Json(MtaRejectedAnswer.Of(errors, bad.Count, parsed.Count, good.Count, summary), MtaResultsJsonContext.Default.MtaRejectedAnswer, StatusCodes.Status400BadRequest);
        }).WithSummary("Delivery results of the mail transfer agent, as a JSON array or JSON lines (application/x-ndjson): {message, type (delivery, failure, retry, bounce), time, code, status, description, attempt(s), errortype, state, recipient, envelope, id}");

        g.MapPost("/mta/dsn", async (HttpContext http, JournalWriter journal, CopernicaTime time, IOptions<MtaResultsOptions> options) =>
        {
            using var span = TidingsDiagnostics.StartChildSpan(DsnSpan);
            var accountId = http.Caller().AccountId;
            var body = await RequestBody.ReadBytesAsync(http);
            if (body.Length == 0) throw new RequestRejectedException("The request body is empty: expected an RFC 3464 delivery status notification");
            var report = DsnReader.Read(body, http.Request.ContentType, time.NowMs(), options.Value);
            var outcomes = await journal.AppendAllAsync(report.Recipients.Select(r => r.Event with { AccountId = accountId }), http.RequestAborted);
            var summary = MtaSummaryAnswer.Of(outcomes, report.Recipients.Select(r => r.Index).ToList());
            return CopernicaJson.Json(DsnAnswer.Of(report.MessageId, summary), MtaResultsJsonContext.Default.DsnAnswer);
        }).WithSummary("A bounce message: a raw RFC 3464 delivery status notification (multipart/report; report-type=delivery-status), recorded as bounce, retry or delivery per recipient");
    }
}
