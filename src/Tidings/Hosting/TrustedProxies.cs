using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Tidings.Hosting;

/// <summary>
/// <c>Server:TrustedProxies</c>: ASP.NET Core's forwarded-headers middleware, first in the pipeline, so that behind a
/// reverse proxy everything sees the client's address (<see cref="HttpContext.Connection"/>), scheme
/// (<see cref="HttpRequest.IsHttps"/>) and host as the proxy received them; from any other peer the forwarded headers
/// are ignored. The framework's defaults (trust loopback, believe one entry) are replaced by the list alone.
/// </summary>
internal static class TrustedProxies
{
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var networks = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.ParsedTrustedProxies();

        // Nothing to believe: no middleware at all, so the request path costs nothing.
        if (networks.Count == 0) return app;

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            // A chain of trusted proxies is walked from the right; the walk stops at the first address not trusted, so
            // no number of entries the client writes itself is believed.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list too, in case the middleware still reads it
        options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        foreach (var network in networks) options.KnownIPNetworks.Add(network);

        // The middleware believes the first entry when the peer is unknown (a Unix socket); only a known, trusted
        // peer gets that far.
        app.UseWhen(http => IsTrusted(networks, http.Connection.RemoteIpAddress), branch => branch.UseForwardedHeaders(options));
        return app;
    }

    private static bool IsTrusted(IReadOnlyList<IPNetwork> networks, IPAddress? peer)
    {
        if (peer is null) return false;
        peer = ProxyNetwork.Normalize(peer);
        foreach (var network in networks)
        {
            if (network.Contains(peer)) return true;
        }

        return false;
    }
}
