using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>A small Kestrel server on 127.0.0.1 (free port) that serves fixed bodies by path; 404 for the rest.</summary>
public sealed class TestFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestFileServer(WebApplication app) => _app = app;

    /// <summary>Path (e.g. <c>/hooks/x.txt</c>) → body; a body starting with <c>redirect:</c> answers 302 to the rest.</summary>
    public ConcurrentDictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";

    public static async Task<TestFileServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TestFileServer(app);
        app.Run(async context =>
        {
            if (server.Files.TryGetValue(context.Request.Path.Value ?? "", out var body))
            {
                if (body.StartsWith("redirect:", StringComparison.Ordinal))
                {
                    context.Response.Redirect(body["redirect:".Length..]);
                    return;
                }

                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(body);
                return;
            }

            context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
