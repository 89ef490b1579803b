using Tidings.Telemetry;

namespace Tidings.Hosting;

/// <summary>
/// The server as a process: its console, its data folder's lock (see <see cref="ServerStart"/>), and its clock: the one
/// <see cref="TimeProvider"/> everything that reads the time or waits takes, so tests can run it on a fake clock; and
/// the reverse proxies it believes (<see cref="TrustedProxies"/>); its connection limits (<see cref="ConnectionLimits"/>).
/// </summary>
internal static class HostingFeature
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OperatorConsole>();
        builder.Services.AddSingleton<ServerLock>();
        builder.AddTrustedProxies();
        builder.Services.AddTidingsInstruments<BuildInfoMetrics>();
        builder.AddConnectionLimits();
        return builder;
    }
}
