using Microsoft.Extensions.Options;
using Tidings.Hosting;

namespace Tidings.Tracking;

internal static class TrackingFeature
{
    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.TrustedProxies.All(p => ProxyNetwork.TryParse(p, out _)), "Tracking:TrustedProxies must hold IP addresses or CIDR ranges")
            .Validate(o => o.GeoIpReloadInterval >= TimeSpan.Zero, "Tracking:GeoIpReloadInterval must not be negative")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrackingOptions>, GeoIpDatabaseCheck>();
        builder.Services.AddSingleton<ClientAddress>();
        builder.Services.AddSingleton<GeoLocator>();
        builder.Services.AddHostedService<GeoIpReloader>();
        builder.Services.AddSingleton<TrackingEndpoints>();
        builder.Services.AddSingleton<UnsubscribeEndpoints>();
        return builder;
    }

    public static WebApplication MapTracking(this WebApplication app)
    {
        TrackingEndpoints.Map(app, app.Services.GetRequiredService<TrackingEndpoints>(), app.Services.GetRequiredService<IOptions<TrackingOptions>>().Value.EnableNullPixel);
        UnsubscribeEndpoints.Map(app, app.Services.GetRequiredService<UnsubscribeEndpoints>());
        return app;
    }
}
