namespace Tidings.Hosting;

/// <summary>The server as a process: its console, its data folder's lock (see <see cref="ServerStart"/>).</summary>
internal static class HostingFeature
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OperatorConsole>();
        builder.Services.AddSingleton<ServerLock>();
        return builder;
    }
}
