using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// The in-process test host knows no peer address: this test-only middleware takes it from a request header, so tests
/// can play a trusted proxy (or a client behind one).
/// </summary>
public sealed class PeerFromHeader(string header) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[header].ToString(), out var peer)) context.Connection.RemoteIpAddress = peer;
            return nextMiddleware(context);
        });
        next(app);
    };
}
