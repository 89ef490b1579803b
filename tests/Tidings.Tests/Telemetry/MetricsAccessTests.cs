using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Tidings.Telemetry;
using Tidings.Tests.Hosting;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Telemetry;

/// <summary>Metrics for 198.51.100.0/24 besides loopback; reverse proxies in 10.0.0.0/8.</summary>
public sealed class MetricsNetworksApp : PeerProbeApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Metrics:AllowedNetworks:0"] = "198.51.100.0/24",
        ["Server:TrustedProxies:0"] = "10.0.0.0/8",
        ["Server:NodeId"] = "metrics-node-1",
    };
}

/// <summary><c>Metrics:Enabled</c> off.</summary>
public sealed class MetricsOffApp : TidingsApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Metrics:Enabled"] = "false",
    };
}

/// <summary>
/// Who may scrape <c>/metrics</c>: loopback and <c>Metrics:AllowedNetworks</c>, judged by the client's address as the
/// trusted-proxy middleware leaves it; everyone else gets 403 and a short text.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsAccessTests(MetricsNetworksApp app) : IClassFixture<MetricsNetworksApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("::ffff:127.0.0.1", null, true)]
    [InlineData("198.51.100.20", null, true)]
    [InlineData("::ffff:198.51.100.20", null, true)]
    [InlineData("203.0.113.9", null, false)]
    [InlineData("10.1.2.3", null, false)]                     // a trusted proxy is not itself a scraper
    [InlineData("10.1.2.3", "198.51.100.20", true)]           // forwarded by a trusted proxy: the real client counts
    [InlineData("10.1.2.3", "203.0.113.9", false)]
    [InlineData("203.0.113.9", "127.0.0.1", false)]           // an untrusted peer's X-Forwarded-For is not believed
    [InlineData(null, null, false)]                           // no address known (a Unix socket): refused
    public async Task Only_loopback_and_the_allowed_networks_may_scrape(string? peer, string? forwardedFor, bool allowed)
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (peer is not null) request.Headers.Add(PeerProbeApp.PeerHeader, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);

        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        if (allowed)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            body.ShouldContain("tidings_build_info{");
            body.ShouldContain("service_instance_id=\"metrics-node-1\"", Case.Sensitive, "the node (Server:NodeId) is the resource's service.instance.id, in target_info");
        }
        else
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            body.ShouldBe(MetricsAccess.RefusedBody);
        }
    }

    [Fact]
    public void An_entry_that_is_not_an_address_or_a_range_is_refused_by_validation()
    {
        var options = new MetricsOptions { AllowedNetworks = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7", "nonsense", "10.0.0.0/40"] };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        errors.Count.ShouldBe(2);
        errors.ShouldAllBe(e => e!.StartsWith("AllowedNetworks: '", StringComparison.Ordinal));
    }
}

/// <summary>With <c>Metrics:Enabled</c> off there is no meter provider, and <c>/metrics</c> answers 404.</summary>
public sealed class MetricsOffTests(MetricsOffApp app) : IClassFixture<MetricsOffApp>
{
    [Fact]
    public async Task Metrics_off_builds_no_meter_provider_and_answers_404()
    {
        app.Services.GetService<MeterProvider>().ShouldBeNull();
        using var response = await app.CreateClient().GetAsync("/metrics", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>The journal's reader label keeps few values: per-item cursors count as one reader.</summary>
public sealed class JournalReaderLabelTests
{
    [Theory]
    [InlineData("statistics", "statistics")]
    [InlineData("webhooks:retries", "webhooks:retries")]
    [InlineData("webhook:7", "webhook")]
    [InlineData("webhook:123456", "webhook")]
    [InlineData("webhook:", "webhook:")]
    public void A_cursor_name_maps_to_its_reader(string cursor, string reader) => Tidings.Journal.JournalMetrics.ReaderOf(cursor).ShouldBe(reader);
}

/// <summary>The example alert rules the operations guide points to are valid Prometheus rules.</summary>
public sealed class AlertRulesTests
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_example_alert_rules_pass_promtool_check_rules()
    {
        var rules = Path.Combine(ConfigurationDoc.RepositoryRoot, "deploy", "prometheus", "tidings-alerts.yml");
        var (code, output) = await Promtool.RunAsync("", TestContext.Current.CancellationToken, "check", "rules", rules);
        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS: 3 rules found");
    }
}
