using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>
/// The server with a test DNS server as its name server and verification-file downloads allowed from 127.0.0.1
/// (where <see cref="TestFileServer"/> listens).
/// </summary>
public sealed class WebhookApp : TidingsApp
{
    public TestDnsServer Dns { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:Domains:NameServer"] = Dns.EndPoint,
        ["Webhooks:Domains:Timeout"] = "00:00:02",
        ["Webhooks:Domains:Retries"] = "0",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Dns.Dispose();
    }
}
