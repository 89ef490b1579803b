using System.Net;

namespace Tidings.Telemetry;

/// <summary>
/// Who may scrape <c>/metrics</c>: loopback always, and the clients in <see cref="MetricsOptions.AllowedNetworks"/>. The
/// address judged is the connection's as the trusted-proxy middleware leaves it, so behind a trusted proxy it is the
/// real client's.
/// </summary>
internal sealed partial class MetricsAccess(IReadOnlyList<IPNetwork> allowed, ILogger logger)
{
    /// <summary>What a refused client reads (status 403).</summary>
    public const string RefusedBody = "Forbidden: /metrics answers loopback and Metrics:AllowedNetworks only.\n";

    public bool Allows(IPAddress? client)
    {
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (IPAddress.IsLoopback(client)) return true;
        foreach (var network in allowed)
        {
            if (network.Contains(client)) return true;
        }

        return false;
    }

    /// <summary>The branch in front of the exporter: refuses clients that are not allowed.</summary>
    public void Guard(IApplicationBuilder branch) => branch.Use(async (http, next) =>
    {
        if (Allows(http.Connection.RemoteIpAddress))
        {
            await next(http);
            return;
        }

        LogRefused(logger, http.Connection.RemoteIpAddress);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(RefusedBody, http.RequestAborted);
    });

    [LoggerMessage(EventId = 19200, Level = LogLevel.Debug, Message = "Refused a metrics scrape from {Client}, which is neither loopback nor in Metrics:AllowedNetworks")]
    private static partial void LogRefused(ILogger logger, IPAddress? client);
}
