using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The Tidings server in-process but on a real socket (127.0.0.1, a free port), for clients that run in another
/// process, such as node. Always on its own SQLite file: it serves tests that do not depend on the store.
/// </summary>
public class KestrelTidingsApp : TidingsApp
{
    public KestrelTidingsApp() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    protected override bool FollowsSuiteProvider => false;

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public override ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(MasterKeyFile)!);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        return ValueTask.CompletedTask;
    }
}
