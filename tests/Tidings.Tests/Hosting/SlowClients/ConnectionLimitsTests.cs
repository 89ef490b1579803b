using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tidings.Hosting;

namespace Tidings.Tests.Hosting.SlowClients;

/// <summary>
/// The <c>Server</c> connection limits reach Kestrel's options as configured, and a streamed response whose client
/// takes nothing is cut off after <c>Server:ResponseWriteTimeout</c> of no progress, not before.
/// </summary>
public sealed class ConnectionLimitsTests(SettingsApp app) : IClassFixture<SettingsApp>
{
    [Fact]
    public void The_defaults_reach_Kestrels_limits()
    {
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        limits.MaxConcurrentConnections.ShouldBe(10_000);
        limits.RequestHeadersTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        limits.KeepAliveTimeout.ShouldBe(TimeSpan.FromSeconds(130));
        limits.MinRequestBodyDataRate!.BytesPerSecond.ShouldBe(1024);
        limits.MinRequestBodyDataRate.GracePeriod.ShouldBe(TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate!.BytesPerSecond.ShouldBe(1024);
        limits.MinResponseDataRate.GracePeriod.ShouldBe(TimeSpan.FromSeconds(5));
        limits.MaxRequestBodySize.ShouldBeNull("the REST API's own setting stays");
    }

    [Fact]
    public void A_rate_of_zero_turns_the_minimum_off_and_the_other_values_are_taken_as_given()
    {
        var limits = new KestrelServerLimits();
        ConnectionLimits.Apply(limits, new ConnectionLimitsOptions
        {
            MaxConcurrentConnections = 20, RequestHeadersTimeout = TimeSpan.FromSeconds(3), KeepAliveTimeout = TimeSpan.FromSeconds(61),
            MinRequestBodyBytesPerSecond = 0, MinResponseBytesPerSecond = 50, MinResponseGracePeriod = TimeSpan.FromSeconds(2),
        });

        limits.MaxConcurrentConnections.ShouldBe(20);
        limits.RequestHeadersTimeout.ShouldBe(TimeSpan.FromSeconds(3));
        limits.KeepAliveTimeout.ShouldBe(TimeSpan.FromSeconds(61));
        limits.MinRequestBodyDataRate.ShouldBeNull();
        limits.MinResponseDataRate!.BytesPerSecond.ShouldBe(50);
        limits.MinResponseDataRate.GracePeriod.ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_response_is_cut_off_after_the_write_timeout_without_progress_and_each_flush_starts_the_clock_again()
    {
        var time = new FakeTimeProvider();
        var stalls = new StalledResponses(Options.Create(new ConnectionLimitsOptions { ResponseWriteTimeout = TimeSpan.FromSeconds(30) }), time, NullLogger<StalledResponses>.Instance);
        var lifetime = new AbortRecorder();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpRequestLifetimeFeature>(lifetime);

        using var watch = stalls.Watch(http, "Test download");
        time.Advance(TimeSpan.FromSeconds(29));
        watch.Progress();
        time.Advance(TimeSpan.FromSeconds(29));
        lifetime.Aborted.ShouldBeFalse("each flush gives the client the whole timeout again");
        watch.CutOff.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(2));
        lifetime.Aborted.ShouldBeTrue();
        watch.CutOff.ShouldBeTrue();
    }

    [Fact]
    public void A_response_that_ends_in_time_is_never_cut_off()
    {
        var time = new FakeTimeProvider();
        var stalls = new StalledResponses(Options.Create(new ConnectionLimitsOptions { ResponseWriteTimeout = TimeSpan.FromSeconds(5) }), time, NullLogger<StalledResponses>.Instance);
        var lifetime = new AbortRecorder();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpRequestLifetimeFeature>(lifetime);

        using (stalls.Watch(http, "Test download")) time.Advance(TimeSpan.FromSeconds(4));
        time.Advance(TimeSpan.FromMinutes(1));

        lifetime.Aborted.ShouldBeFalse();
    }

    private sealed class AbortRecorder : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }
}
