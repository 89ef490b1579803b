using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;

namespace Tidings.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of a real server process, read by Prometheus' own parser (<c>promtool check metrics</c>) before and
/// after opens, clicks, webhook calls (delivered, retried, and a receiver that answers 410 Gone so the server disables
/// its webhook) and a log file download: every documented metric is there, and the counters moved.
/// </summary>
public sealed class MetricsScrapeTests : IDisposable
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "metrics-" + Guid.NewGuid().ToString("N"));

    public MetricsScrapeTests() => Directory.CreateDirectory(_directory);

    private static readonly KeyValuePair<string, string>[] Settings =
    [
        new("Webhooks:Delivery:AllowedNetworks:0", "127.0.0.1/32"),
        new("Webhooks:Delivery:Hosts:" + DeliveryApp.ReceiverHost, "127.0.0.1"),
        new("Webhooks:Dispatch:RefreshInterval", "00:00:00.200"),
        new("Webhooks:Dispatch:FirstRetryDelay", "00:00:00.300"),
        new("Webhooks:Dispatch:MaxRetryDelay", "00:00:01"),
        new("Events:IntakeMaxDeferral", "00:00:00"),
    ];

    /// <summary>Counters that must have grown over the run (name, and the labels the growth must show under).</summary>
    private static readonly (string Name, (string, string)[] Labels)[] Counters =
    [
        ("tidings_events_ingested_total", [("type", "open")]),
        ("tidings_events_ingested_total", [("type", "click")]),
        ("tidings_journal_appends_total", []),
        ("tidings_webhook_deliveries_total", [("outcome", "delivered"), ("status_class", "2xx")]),
        ("tidings_webhook_deliveries_total", [("outcome", "retry"), ("status_class", "5xx")]),
        ("tidings_webhook_deliveries_total", [("outcome", "disabled"), ("status_class", "4xx")]),
        ("tidings_webhook_retries_total", []),
        ("tidings_webhook_delivery_duration_seconds_count", []),
        ("tidings_logfile_streamed_bytes_total", [("format", "json")]),
        ("http_server_request_duration_seconds_count", []),
        ("dotnet_gc_heap_total_allocated_bytes_total", []),
        ("dotnet_thread_pool_work_item_count_total", []),
    ];

    /// <summary>Gauges (and histogram parts) that must be there after the run.</summary>
    private static readonly string[] Present =
    [
        "tidings_build_info", "tidings_events_intake_queue", "tidings_events_intake_backlog_bytes", "tidings_journal_reader_lag",
        "tidings_webhook_backlog", "tidings_webhook_disabled", "tidings_webhook_delivery_duration_seconds_bucket",
        "http_server_request_duration_seconds_bucket", "dotnet_gc_collections_total", "dotnet_thread_pool_thread_count", "dotnet_thread_pool_queue_length",
    ];

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Every_metric_is_there_and_moves_and_promtool_accepts_the_exposition()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(_directory, "tidings.db");
        await using var receiver = await Receiver.StartAsync();
        await using var gone = await Receiver.StartAsync();
        var answered = 0;
        receiver.Answer = _ => Interlocked.Increment(ref answered) == 1 ? 500 : 200; // the first call fails: one retry
        gone.Answer = _ => 410;

        using var server = await ServerProcess.StartAsync(database, Settings, ct: ct);
        var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var client = new ApiClient(http, token, 1);
        await ValidateTestDomainAsync(database, ct);
        var scenario = await MailingScenario.CreateAsync(client, profiles: 3);
        var opens = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = "open", database = scenario.DatabaseId });
        var clicks = await DeliveryApp.CreateWebhookAsync(client, gone.Url, new { trigger = "click", database = scenario.DatabaseId });
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, opens);
        await EventTypeDeliveryTests.WaitUntilRunningAsync(client, clicks);

        var beforeText = await http.GetStringAsync("/metrics", ct);
        await Promtool.CheckMetricsAsync(beforeText, ct);
        var before = PrometheusText.Parse(beforeText);

        foreach (var d in scenario.Destinations)
        {
            (await http.GetAsync(d.OpenUrl, ct)).EnsureSuccessStatusCode();
            ((int)(await http.GetAsync(d.ClickUrls[0], ct)).StatusCode).ShouldBeInRange(300, 399);
        }

        await receiver.WaitAsync(c => c.Count(x => x.AnsweredStatus == 200) >= scenario.Destinations.Count, seconds: 60);
        await gone.WaitAsync(c => c.Count >= 1, seconds: 60);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await http.GetStringAsync($"/v3/logfile/cdm-impression.{today}.log/json?access_token={token}", ct)).Length.ShouldBeGreaterThan(2);

        // The disabled count follows the dispatcher's configuration load; the reader lag a refresh every few seconds.
        string afterText;
        PrometheusText after;
        var watch = Stopwatch.StartNew();
        do
        {
            afterText = await http.GetStringAsync("/metrics", ct);
            after = PrometheusText.Parse(afterText);
            if (Missing(before, after).Count == 0) break;
            await Task.Delay(200, ct);
        }
        while (watch.Elapsed < TimeSpan.FromSeconds(30));

        Missing(before, after).ShouldBeEmpty();
        await Promtool.CheckMetricsAsync(afterText, ct);
        after.Sum("tidings_webhook_disabled").ShouldBe(1);
        after.Sum("tidings_build_info").ShouldBe(1);
        after.Samples.Where(s => s.Name == "tidings_webhook_backlog").Select(s => s.Labels["webhook_id"]).ShouldBe([opens.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        after.Sum("tidings_events_ingested_total", ("type", "open")).ShouldBeGreaterThanOrEqualTo(before.Sum("tidings_events_ingested_total", ("type", "open")) + scenario.Destinations.Count);
    }

    private static List<string> Missing(PrometheusText before, PrometheusText after) =>
    [
        .. Present.Where(name => !after.Has(name)).Select(name => name + " is missing"),
        .. Counters.Where(c => after.Sum(c.Name, c.Labels) <= before.Sum(c.Name, c.Labels))
            .Select(c => $"{c.Name}{{{string.Join(",", c.Labels.Select(l => $"{l.Item1}={l.Item2}"))}}} did not grow ({before.Sum(c.Name, c.Labels)} → {after.Sum(c.Name, c.Labels)})"),
        .. after.Sum("tidings_webhook_disabled") < 1 ? ["tidings_webhook_disabled is still 0"] : Array.Empty<string>(),
    ];

    private static async Task ValidateTestDomainAsync(string database, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=30");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = DeliveryApp.ValidatedDomainSql;
        command.Parameters.AddWithValue("@accountId", 1L);
        command.Parameters.AddWithValue("@domain", DeliveryApp.Domain);
        await command.ExecuteNonQueryAsync(ct);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
