using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogRedaction;

/// <summary>
/// Every log line the server writes at its most verbose, through its own logging pipeline, for a whole REST flow and
/// requests Kestrel refuses: none shows an access token.
/// </summary>
public sealed class LogRedactionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The server on Kestrel (refused request targets are Kestrel's own), every category at Trace, into a <see cref="LogCapture"/>.</summary>
    private sealed class TraceApp : TidingsApp
    {
        public LogCapture Logs { get; } = new();

        protected override bool FollowsSuiteProvider => false;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(Logs);
            });
        }

        public override ValueTask InitializeAsync()
        {
            UseKestrel(0);
            StartServer();
            return ValueTask.CompletedTask;
        }

        public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task No_log_line_at_trace_level_shows_an_access_token_from_the_rest_flow_or_a_refused_request()
    {
        string token;
        IReadOnlyCollection<string> entries;
        await using (var app = new TraceApp())
        {
            await app.InitializeAsync();
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            var client = await app.NewAccountAsync();
            token = client.Token;
            await CredentialTraffic.RunRestFlowAsync(new ApiClient(http, token, client.AccountId));
            await CredentialTraffic.SendRefusedRequestsAsync(app.BaseAddress, token);
            entries = app.Logs.Entries;

            // What shows that the lines that could carry the token were written (masked), not left out.
            await WaitForAsync(entries, e => e.Contains("Request starting", StringComparison.Ordinal) && e.Contains("access_token=***", StringComparison.Ordinal));
            await WaitForAsync(entries, e => e.Contains("Invalid request target", StringComparison.Ordinal) && e.Contains("access_token=***", StringComparison.Ordinal));
            await WaitForAsync(entries, e => e.Contains("Invalid request line", StringComparison.Ordinal) && e.Contains("access_token=***", StringComparison.Ordinal));
        }

        // After the server stopped, so that nothing is still on its way.
        entries.Count.ShouldBeGreaterThan(100);
        var leaks = entries.Where(e => e.Contains(token, StringComparison.OrdinalIgnoreCase) || e.Contains(CredentialTraffic.WrongToken, StringComparison.OrdinalIgnoreCase)).ToList();
        leaks.ShouldBeEmpty(string.Join("\n", leaks.Take(5)));
    }

    private static async Task WaitForAsync(IReadOnlyCollection<string> entries, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!entries.Any(match))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No such log entry; there are:\n" + string.Join('\n', entries.TakeLast(40)));
            await Task.Delay(50, Ct);
        }
    }
}
