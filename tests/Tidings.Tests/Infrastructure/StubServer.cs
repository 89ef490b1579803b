using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tidings.Tests.Infrastructure;

/// <summary>A Kestrel server on 127.0.0.1 (random port) that answers every request with the given handler and counts them.</summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private StubServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Hits => Volatile.Read(ref _hits);

    /// <param name="port">0 for any free port; a given port to come up where a client already points (a receiver back online).</param>
    public static async Task<StubServer> StartAsync(Func<HttpContext, Task> handler, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new StubServer(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref server._hits);
            return handler(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
