using Microsoft.Extensions.Options;

namespace Tidings.Tracking;

/// <summary>
/// Looks every <see cref="TrackingOptions.GeoIpReloadInterval"/> whether the GeoIP database file was replaced (weekly
/// editions), and loads the new one without a restart.
/// </summary>
internal sealed class GeoIpReloader(GeoLocator locator, TimeProvider time, IOptions<TrackingOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.GeoIpDatabase) || o.GeoIpReloadInterval <= TimeSpan.Zero) return;
        try
        {
            while (true)
            {
                await Task.Delay(o.GeoIpReloadInterval, time, stoppingToken);
                locator.ReloadIfChanged();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
