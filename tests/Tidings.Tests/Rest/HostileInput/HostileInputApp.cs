using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Configuration;

namespace Tidings.Tests.Rest.HostileInput;

/// <summary>
/// The server on real Kestrel over loopback (so that a connection closed without a status, and Kestrel's own handling
/// of request targets, are what a client sees), always on SQLite, with a DNS server of its own that knows no names:
/// domain validation then fails fast instead of asking the network.
/// </summary>
public sealed class HostileInputApp : TidingsApp
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", Guid.NewGuid().ToString("N"));

    public HostileInputApp() => UseKestrel(0);

    public TestDnsServer Dns { get; } = new();

    protected override bool FollowsSuiteProvider => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:SqlitePath"] = Path.Combine(_directory, "tidings.db"),
        ["Webhooks:Domains:NameServer"] = Dns.EndPoint,
        ["Webhooks:Domains:Timeout"] = "00:00:00.500",
        ["Webhooks:Domains:Retries"] = "0",
    };

    /// <summary>Where Kestrel listens (a free port on loopback).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public override ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        StartServer();
        using var client = CreateClient();
        BaseAddress = client.BaseAddress!;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Dns.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
