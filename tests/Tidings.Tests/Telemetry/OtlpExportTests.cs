using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Tidings.Telemetry;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Telemetry;

/// <summary>OTLP export as configured: spans reach a collector over HTTP/protobuf at <c>/v1/traces</c>.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    private const string SqlitePassOnly = "Runs in the SQLite pass: it tests the exporter, not the store.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Export(string Method, string Path, string? ContentType, byte[] Body);

    /// <summary>Tracing on with the settings a benchmark uses, the spans going to <paramref name="endpoint"/> only.</summary>
    private sealed class ExportingApp(string endpoint) : TracingApp
    {
        protected override bool KeepsSpans => false;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Tracing:SamplingRatio"] = "1.0",
            ["Tracing:OtlpEndpoint"] = endpoint,
        };
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Spans_reach_an_OTLP_HTTP_collector_at_v1_traces_as_protobuf()
    {
        var exports = new ConcurrentQueue<Export>();
        await using var collector = await StubServer.StartAsync(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, Ct);
            exports.Enqueue(new Export(http.Request.Method, http.Request.Path, http.Request.ContentType, body.ToArray()));
            http.Response.StatusCode = 200;
        });
        await using var app = new ExportingApp($"http://127.0.0.1:{collector.Url.Port}");
        await app.InitializeAsync();

        using (var browser = app.CreateClient())
        {
            (await browser.GetAsync("/t/o/unknowntoken.gif", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000).ShouldBeTrue();

        var export = exports.ShouldHaveSingleItem();
        export.Method.ShouldBe("POST");
        export.Path.ShouldBe("/v1/traces");
        export.ContentType.ShouldBe("application/x-protobuf");
        // The span names are strings in the protobuf body.
        Encoding.UTF8.GetString(export.Body).ShouldContain("tidings.tracking.open");
    }

    [Theory]
    [InlineData("", 0.01, true)]
    [InlineData("http://127.0.0.1:4318", 1.0, true)]
    [InlineData("collector:4318", 1.0, false)]
    [InlineData("ftp://collector/", 1.0, false)]
    [InlineData("", 1.5, false)]
    [InlineData("", -0.1, false)]
    public void Tracing_settings_are_checked_at_start(string endpoint, double ratio, bool valid)
    {
        var options = new TracingOptions { Enabled = true, OtlpEndpoint = endpoint, SamplingRatio = ratio };
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true).ShouldBe(valid);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4318", "HttpProtobuf", "http://127.0.0.1:4318/v1/traces")]
    [InlineData("http://collector:4318/", "HttpProtobuf", "http://collector:4318/v1/traces")]
    [InlineData("https://collector/otlp/v1/traces", "HttpProtobuf", "https://collector/otlp/v1/traces")]
    [InlineData("http://collector:4317", "Grpc", "http://collector:4317/")]
    [InlineData("", "HttpProtobuf", null)]
    [InlineData("collector:4318", "HttpProtobuf", null)]
    public void The_configured_endpoint_becomes_the_export_URL(string endpoint, string protocol, string? expected)
    {
        var options = new TracingOptions { OtlpEndpoint = endpoint, OtlpProtocol = Enum.Parse<OtlpProtocol>(protocol) };
        (TracingExport.ExportUrl(options)?.ToString()).ShouldBe(expected);
    }
}
