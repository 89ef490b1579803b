using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Hosting;

/// <summary>The server on its own SQLite file, keeping its service registrations so a test can see what it binds.</summary>
public sealed class SettingsApp : TidingsApp
{
    private IServiceCollection? _registrations;

    protected override bool FollowsSuiteProvider => false;

    /// <summary>Every service the server registered (the host is built by the time this is read).</summary>
    public IServiceCollection Registrations
    {
        get
        {
            _ = Services;
            return _registrations ?? throw new InvalidOperationException("The server's services were not captured.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => _registrations = services);
    }
}
