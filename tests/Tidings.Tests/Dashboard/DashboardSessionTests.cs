using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>How long a sign-in lasts: the sliding idle timeout, and across a restart (Data Protection keys in the database).</summary>
public sealed class DashboardSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sign_in_ends_after_the_idle_timeout_without_requests_and_slides_with_them()
    {
        await using var app = new FakeClockTidingsApp();
        await app.InitializeAsync();
        var (browser, _, _) = await DashboardBrowser.SignedInAsync(app, UserRole.Editor);

        foreach (var _ in Enumerable.Range(0, 3))
        {
            app.Clock.Advance(TimeSpan.FromMinutes(8));
            (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK, "requests within the idle timeout keep the sign-in");
        }

        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var ended = await browser.GetAsync("/dashboard");
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect, "Dashboard:IdleTimeout (10 minutes here) passed without a request");
        ended.Headers.Location!.PathAndQuery().ShouldStartWith("/dashboard/signin");
    }

    [Fact]
    public async Task A_sign_in_survives_a_restart_because_the_keys_are_in_the_database_encrypted()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "tidings.db");
        try
        {
            string cookie;
            await using (var first = new FixedPathTidingsApp(path))
            {
                await first.InitializeAsync();
                var (browser, _, _) = await DashboardBrowser.SignedInAsync(first, UserRole.Admin, "Survivor");
                (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);
                cookie = browser.CookieHeader("/dashboard");

                var xml = await first.ScalarAsync<string>("SELECT xml FROM data_protection_keys ORDER BY id LIMIT 1");
                xml.ShouldNotBeNull("the key ring is in the database");
                xml.ShouldNotContain("<key", Case.Insensitive, "the key's XML is encrypted with the master key");
                xml.ShouldNotContain("masterKey", Case.Insensitive);
            }

            await using (var second = new FixedPathTidingsApp(path))
            {
                await second.InitializeAsync();
                var client = second.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
                var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
                request.Headers.Add("Cookie", cookie);

                var response = await client.SendAsync(request, Ct);

                response.StatusCode.ShouldBe(HttpStatusCode.OK, "a cookie made by the first instance is read by the second");
                (await DashboardBrowser.ParseAsync(response)).QuerySelector("h1")!.TextContent.ShouldBe("Survivor");
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The server on a fake clock, with a 10-minute idle timeout.</summary>
    private sealed class FakeClockTidingsApp : TidingsApp
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Dashboard:IdleTimeout", "00:10:00");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}
