using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Webhooks.Configuration;

/// <summary>A <see cref="StubServer"/> that serves fixed bodies by path; 404 for the rest.</summary>
public sealed class TestFileServer : IAsyncDisposable
{
    private StubServer? _server;

    /// <summary>Path (e.g. <c>/hooks/x.txt</c>) → body; a body starting with <c>redirect:</c> answers 302 to the rest.</summary>
    public ConcurrentDictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public string BaseUrl => _server!.Url.ToString().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

    public static async Task<TestFileServer> StartAsync()
    {
        var files = new TestFileServer();
        files._server = await StubServer.StartAsync(files.ServeAsync);
        return files;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!Files.TryGetValue(context.Request.Path.Value ?? "", out var body))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (body.StartsWith("redirect:", StringComparison.Ordinal))
        {
            context.Response.Redirect(body["redirect:".Length..]);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
