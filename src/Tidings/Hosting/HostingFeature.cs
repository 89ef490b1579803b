using Tidings.Telemetry;

namespace Tidings.Hosting;

/// <summary>
/// The server as a process: its console, its data folder's lock (see <see cref="ServerStart"/>), and its clock: the one
/// <see cref="TimeProvider"/> everything that reads the time or waits takes, so tests can run it on a fake clock; and
/// the reverse proxies it believes (<see cref="TrustedProxies"/>); its connection limits (<see cref="ConnectionLimits"/>); how
/// long an orderly stop may take (<c>Server:ShutdownTimeout</c>) and the log of its phases (<see cref="ShutdownLog"/>).
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
        builder.Services.AddOptions<HostOptions>().Configure<IConfiguration>(ApplyShutdownTimeout);

        // First of all hosted services: it stops last (see ShutdownLog).
        builder.Services.AddSingleton<ShutdownLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownLog>());
        return builder;
    }

    /// <summary>
    /// <c>Server:ShutdownTimeout</c> as the host's bound. Read from the configuration, not through the validated
    /// <see cref="ServerOptions"/>: the host takes its options while it is built, before <see cref="ConfigurationCheck"/>
    /// reports a bad setting in one line; a bad value leaves the default here and stops the start there.
    /// </summary>
    private static void ApplyShutdownTimeout(HostOptions host, IConfiguration configuration)
    {
        var value = configuration[ServerOptions.Section + ":" + nameof(ServerOptions.ShutdownTimeout)];
        if (value is null) host.ShutdownTimeout = new ServerOptions().ShutdownTimeout;
        else if (TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero && timeout <= ServerOptions.MaxShutdownTimeout) host.ShutdownTimeout = timeout;
    }

    /// <summary>Called after every other feature is added (see <see cref="RequestsStopped"/>).</summary>
    public static WebApplicationBuilder AddShutdownOrder(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<RequestsStopped>();
        return builder;
    }
}
