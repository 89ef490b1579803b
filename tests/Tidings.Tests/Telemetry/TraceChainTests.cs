using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Storage;
using Tidings.Telemetry;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Webhooks.Domains;

namespace Tidings.Tests.Telemetry;

/// <summary>
/// With tracing on, one open can be followed from the request through the journal (across the intake log on SQLite)
/// to the webhook call made for it; the trace context stays beside the event, out of its payload, log files and webhook
/// bodies; and receivers and verified hosts get a <c>traceparent</c> header only from a webhook that asks for one.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceChainTests(TracingApp app) : IClassFixture<TracingApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<(ApiClient Client, TestDestination Destination, long Webhook)> WebhookForOpensAsync(DeliveryApp app, Receiver receiver, bool? traceContext = null, string trigger = "open")
    {
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var scenario = await MailingScenario.CreateAsync(client, profiles: 1);
        object settings = traceContext is { } on
            ? new { trigger, format = "json", database = scenario.DatabaseId, trace_context = on }
            : new { trigger, format = "json", database = scenario.DatabaseId };
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, settings);
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, webhook);
        return (client, scenario.Destinations[0], webhook);
    }

    internal static async Task OpenAsync(DeliveryApp app, TestDestination d)
    {
        using var browser = app.CreateClient();
        (await browser.GetAsync(d.OpenUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private Task<Activity> AttemptSpanAsync(long webhook) =>
        app.Spans.WaitForAsync(s => s.OperationName == "tidings.webhook.attempt" && Equals(s.GetTagItem("tidings.webhook.id"), webhook), $"of a call of webhook {webhook}");

    [Fact]
    public async Task An_open_its_journal_append_and_its_webhook_call_are_one_trace_that_stays_out_of_payloads_bodies_and_log_files()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, d, webhook) = await WebhookForOpensAsync(app, receiver);

        await OpenAsync(app, d);
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];

        // The call's span continues the trace the open started: request → open → journal append → webhook call.
        var attempt = await AttemptSpanAsync(webhook);
        var trace = attempt.TraceId;
        var append = await app.Spans.WaitForAsync(s => s.OperationName == "tidings.journal.append" && s.TraceId == trace, "journal append in the call's trace");
        var open = await app.Spans.WaitForAsync(s => s.OperationName == "tidings.tracking.open" && s.TraceId == trace, "open in the call's trace");
        var request = await app.Spans.WaitForAsync(s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == open.ParentSpanId, "of the open's request");
        request.TraceId.ShouldBe(trace);
        append.ParentSpanId.ShouldBe(open.SpanId);
        attempt.ParentSpanId.ShouldBe(append.SpanId);
        attempt.Kind.ShouldBe(ActivityKind.Client);
        attempt.GetTagItem("http.response.status_code").ShouldBe(200);
        attempt.GetTagItem("tidings.event.id").ShouldBe(call.Header("webhook-id"));

        // On SQLite the open was acknowledged from the intake log and became a journal row later, in its own span.
        append.GetTagItem("tidings.journal.intake").ShouldBe(!app.OnPostgres);
        if (!app.OnPostgres)
        {
            var materialize = await app.Spans.WaitForAsync(s => s.OperationName == "tidings.intake.materialize" && s.TraceId == trace, "materializing the open");
            materialize.ParentSpanId.ShouldBe(append.SpanId);
        }

        // Stored beside the event, and nowhere a customer reads.
        var traceHex = trace.ToHexString();
        var row = await ReadOpenAsync(client.AccountId);
        ShouldBeRecordedContextOf(row.TraceParent, append);
        row.Payload.ShouldNotContain(traceHex);
        call.Text.ShouldNotContain(traceHex);
        call.Headers.Values.ShouldAllBe(v => !v.Contains(traceHex));
        call.Header("traceparent").ShouldBeNull();

        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var format in new[] { "json", "csv" })
        {
            var (status, log) = await client.GetTextAsync($"/v3/logfile/cdm-impression.{today}.log/{format}");
            status.ShouldBe(200);
            log.ShouldContain(d.MessageId);
            log.ShouldNotContain(traceHex);
        }
    }

    [Fact]
    public async Task An_MTA_result_its_journal_append_and_its_webhook_call_are_one_trace()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, d, webhook) = await WebhookForOpensAsync(app, receiver, trigger: "delivery");

        var line = $$"""{"message":"{{d.MessageId}}","type":"delivery","code":250,"status":"2.0.0","description":"Ok","attempts":0}""";
        (await client.SendAsync(HttpMethod.Post, "/v3/mta/results", "[" + line + "]")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];

        var attempt = await AttemptSpanAsync(webhook);
        var append = await app.Spans.WaitForAsync(s => s.OperationName == "tidings.journal.append" && s.TraceId == attempt.TraceId, "journal append in the call's trace");
        var results = await app.Spans.WaitForAsync(s => s.OperationName == "tidings.mta.results" && s.TraceId == attempt.TraceId, "MTA results in the call's trace");
        append.ParentSpanId.ShouldBe(results.SpanId);
        attempt.ParentSpanId.ShouldBe(append.SpanId);
        append.GetTagItem("tidings.journal.intake").ShouldBe(false); // results are deduplicated: straight into the journal
        results.GetTagItem("tidings.mta.results").ShouldBe(1);
        call.Text.ShouldNotContain(attempt.TraceId.ToHexString());
    }

    [Fact]
    public async Task A_webhook_with_trace_context_sends_the_calls_traceparent_and_the_setting_is_kept()
    {
        await using var receiver = await Receiver.StartAsync();
        var (client, d, webhook) = await WebhookForOpensAsync(app, receiver, traceContext: true);
        (await client.GetJsonAsync($"/v3/webhook/{webhook}"))["trace_context"]!.GetValue<bool>().ShouldBeTrue();

        await OpenAsync(app, d);
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];

        var attempt = await AttemptSpanAsync(webhook);
        ShouldBeRecordedContextOf(call.Header("traceparent"), attempt);
        call.Header("tracestate").ShouldBeNull();

        // Turned off again: a PUT of the flag alone keeps the rest.
        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { trace_context = false })).IsSuccessStatusCode.ShouldBeTrue();
        var read = await client.GetJsonAsync($"/v3/webhook/{webhook}");
        read["trace_context"]!.GetValue<bool>().ShouldBeFalse();
        read["trigger"]!.GetValue<string>().ShouldBe("open");
    }

    [Fact]
    public async Task A_domain_verification_request_carries_no_traceparent_even_under_a_recorded_span()
    {
        var headers = new ConcurrentQueue<IReadOnlyDictionary<string, string>>();
        await using var files = await StubServer.StartAsync(async http =>
        {
            headers.Enqueue(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync("proof", Ct);
        });
        var verifier = app.Services.GetRequiredService<DomainVerifier>();
        var domain = new DomainRecord { Domain = DeliveryApp.Domain, FileName = "tidings-proof.txt", FileContent = "proof" };

        using (var span = TidingsDiagnostics.ActivitySource.StartActivity("test.verification"))
        {
            span.ShouldNotBeNull().Recorded.ShouldBeTrue();
            var result = await verifier.VerifyFileAsync(domain, [Localhost.Of(files.Url).ToString()], Ct);
            result.Validated.ShouldBeTrue(result.Message);
        }

        headers.ShouldNotBeEmpty();
        headers.ShouldAllBe(h => !h.ContainsKey("traceparent") && !h.ContainsKey("tracestate") && !h.ContainsKey("Request-Id"));
    }

    /// <summary>The traceparent of <paramref name="span"/>, sampled (flags may carry more bits, such as W3C's random-trace-id flag).</summary>
    private static void ShouldBeRecordedContextOf(string? traceParent, Activity span)
    {
        traceParent.ShouldNotBeNull().ShouldStartWith($"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-");
        ActivityContext.TryParse(traceParent, null, out var context).ShouldBeTrue();
        context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded).ShouldBeTrue();
    }

    private async Task<(string? TraceParent, string Payload)> ReadOpenAsync(long accountId)
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        for (var attempt = 0; ; attempt++)
        {
            await using var c = await storage.OpenReadAsync(Ct);
            var rows = (await c.QueryAsync<(string? TraceParent, string Payload)>(
                "SELECT trace_parent, payload FROM journal WHERE account_id = @accountId AND type = 'open'", new { accountId })).ToList();
            if (rows.Count > 0 || attempt > 100) return rows.ShouldHaveSingleItem();
            await Task.Delay(50, Ct);
        }
    }
}

/// <summary>Tracing off (the default): no listener, no span, no trace context stored or sent, even to a webhook that asks for it.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingOffTests(UntracedApp app) : IClassFixture<UntracedApp>
{
    [Fact]
    public async Task Tracing_off_starts_no_span_stores_no_trace_context_and_sends_no_traceparent()
    {
        TidingsDiagnostics.ActivitySource.HasListeners().ShouldBeFalse();
        await using var receiver = await Receiver.StartAsync();
        var (client, d, _) = await TraceChainTests.WebhookForOpensAsync(app, receiver, traceContext: true);

        await TraceChainTests.OpenAsync(app, d);
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];

        call.Header("traceparent").ShouldBeNull();
        TidingsDiagnostics.ActivitySource.StartActivity("test.off").ShouldBeNull();
        var storage = app.Services.GetRequiredService<IStorage>();
        await using var c = await storage.OpenReadAsync(TestContext.Current.CancellationToken);
        var stored = (await c.QueryAsync<string?>("SELECT trace_parent FROM journal WHERE account_id = @accountId", new { accountId = client.AccountId })).ToList();
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(t => t == null);
    }
}

/// <summary>Tracing on, but no trace recorded (ratio 0): spans are not exported and no trace context is stored or sent.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class UnsampledTracingTests(UnsampledTracingTests.UnsampledApp app) : IClassFixture<UnsampledTracingTests.UnsampledApp>
{
    public sealed class UnsampledApp : TracingApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Tracing:SamplingRatio"] = "0",
        };
    }

    [Fact]
    public async Task Unrecorded_traces_store_and_send_no_trace_context()
    {
        TidingsDiagnostics.ActivitySource.HasListeners().ShouldBeTrue();
        await using var receiver = await Receiver.StartAsync();
        var (client, d, _) = await TraceChainTests.WebhookForOpensAsync(app, receiver, traceContext: true);

        await TraceChainTests.OpenAsync(app, d);
        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];

        call.Header("traceparent").ShouldBeNull();
        app.Spans.Snapshot().ShouldBeEmpty();
        await using var c = await app.Services.GetRequiredService<IStorage>().OpenReadAsync(TestContext.Current.CancellationToken);
        var stored = (await c.QueryAsync<string?>("SELECT trace_parent FROM journal WHERE account_id = @accountId", new { accountId = client.AccountId })).ToList();
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(t => t == null);
    }
}
