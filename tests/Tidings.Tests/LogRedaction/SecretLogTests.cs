using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Infrastructure;
using Tidings.Users;
using Tidings.Webhooks.Signing;

namespace Tidings.Tests.LogRedaction;

/// <summary>
/// Every log entry the server writes at its most verbose while dashboard passwords, SOAP login passwords and webhook
/// secrets go through it (<see cref="SecretTraffic"/>) and the webhook signing key is rotated: none shows one of them,
/// nor a signing key's private key, nor the access token.
/// </summary>
public sealed class SecretLogTests
{
    private sealed class TraceApp : TidingsApp
    {
        public LogCapture Logs { get; } = new();

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
    }

    [Fact]
    public async Task No_log_line_at_trace_level_shows_a_password_or_a_webhook_secret()
    {
        IReadOnlyList<string> secrets;
        IReadOnlyCollection<string> entries;
        await using (var app = new TraceApp())
        {
            await app.InitializeAsync();
            var client = await app.NewAccountAsync("Secret Co");
            var (admin, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin, accountId: client.AccountId);
            secrets = [client.Token, .. await SecretTraffic.RunAsync(client, () => DashboardBrowser.Open(app), admin.Email, password, "Secret Co")];

            // The webhook signing keys (made at the first start, and one more by a rotation): their private keys.
            var keys = app.Services.GetRequiredService<SigningKeyStore>();
            await keys.RotateAsync(TestContext.Current.CancellationToken);
            var privateKeys = (await keys.ListAllAsync(TestContext.Current.CancellationToken)).Select(k => Convert.ToBase64String(k.PrivateKey)).ToList();
            privateKeys.Count.ShouldBeGreaterThanOrEqualTo(2);
            secrets = [.. secrets, .. privateKeys, .. privateKeys.Select(k => k.Substring(100, 64))]; // also a line of its PEM
            entries = app.Logs.Entries;
        }

        // The lines that could carry them were written: sign-ins, the password change, the SOAP login, the secrets' requests.
        entries.Count.ShouldBeGreaterThan(100);
        entries.ShouldContain(e => e.Contains("/dashboard/password", StringComparison.Ordinal));
        entries.ShouldContain(e => e.Contains("/secrets/rotate", StringComparison.Ordinal));
        secrets.Count.ShouldBeGreaterThan(10);
        var leaks = entries.SelectMany(e => secrets.Where(s => e.Contains(s, StringComparison.Ordinal)).Select(s => $"{s[..6]}…: {e}")).ToList();
        leaks.ShouldBeEmpty(string.Join("\n", leaks.Take(5)));
    }
}
