using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tidings.Tests.Hosting;

/// <summary><c>Server:ShutdownTimeout</c> is the host's bound of an orderly stop.</summary>
public sealed class ShutdownSettingsTests
{
    private sealed class ShutdownApp(string? timeout) : Infrastructure.TidingsApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (timeout is not null) builder.UseSetting("Server:ShutdownTimeout", timeout);
        }
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:00:12", 12)]
    [InlineData("00:02:00", 120)]
    public async Task The_hosts_shutdown_timeout_is_the_setting(string? setting, int seconds)
    {
        await using var app = new ShutdownApp(setting);
        await app.InitializeAsync();
        app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(seconds));
    }
}
