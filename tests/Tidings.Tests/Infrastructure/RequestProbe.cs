using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// Test-only: answers <c>GET /test-probe/request</c> after the server's whole pipeline (so after its forwarded-headers
/// middleware) with the request as the application sees it, for settings that change it (<c>Server:TrustedProxies</c>).
/// </summary>
public sealed class RequestProbe : IStartupFilter
{
    public const string Path = "/test-probe/request";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Map(Path, probe => probe.Run(http => http.Response.WriteAsJsonAsync(new SeenRequest(
            http.Request.IsHttps, http.Request.Scheme, http.Request.Host.ToString(), http.Connection.RemoteIpAddress?.ToString()))));
    };

    /// <summary>Asks the probe through <paramref name="http"/>; <paramref name="headers"/> are sent along.</summary>
    public static async Task<SeenRequest> AskAsync(HttpClient http, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Path);
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SeenRequest>(TestContext.Current.CancellationToken))!;
    }
}

/// <summary>What the application saw of a request.</summary>
public sealed record SeenRequest(bool IsHttps, string Scheme, string Host, string? RemoteAddress);
