using Microsoft.AspNetCore.Server.Kestrel.Core;
using System.ComponentModel.DataAnnotations;

namespace Tidings.Hosting;

/// <summary>
/// Applies <see cref="ConnectionLimitsOptions"/> to Kestrel and registers <see cref="StalledResponses"/>, the bound on
/// streamed responses. A server hosted otherwise (the tests' in-memory server) never reads Kestrel's options.
/// </summary>
internal static class ConnectionLimits
{
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionLimitsOptions>().BindConfiguration(ConnectionLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            if (Valid(configuration) is { } limits) Apply(kestrel.Limits, limits);
        });
        builder.Services.AddSingleton<StalledResponses>();
        return builder;
    }

    /// <summary>
    /// The settings when they are valid, else null. The host reads Kestrel's options while it is built, before the
    /// configuration check: a bad value must not throw there, but be reported by the check (which then stops the start).
    /// </summary>
    private static ConnectionLimitsOptions? Valid(IConfiguration configuration)
    {
        try
        {
            var limits = configuration.GetSection(ConnectionLimitsOptions.Section).Get<ConnectionLimitsOptions>() ?? new ConnectionLimitsOptions();
            return Validator.TryValidateObject(limits, new ValidationContext(limits), null, validateAllProperties: true) ? limits : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    internal static void Apply(KestrelServerLimits kestrel, ConnectionLimitsOptions o)
    {
        kestrel.MaxConcurrentConnections = o.MaxConcurrentConnections;
        kestrel.RequestHeadersTimeout = o.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = o.KeepAliveTimeout;
        kestrel.MinRequestBodyDataRate = o.MinRequestBodyBytesPerSecond > 0 ? new MinDataRate(o.MinRequestBodyBytesPerSecond, o.MinRequestBodyGracePeriod) : null;
        kestrel.MinResponseDataRate = o.MinResponseBytesPerSecond > 0 ? new MinDataRate(o.MinResponseBytesPerSecond, o.MinResponseGracePeriod) : null;
    }
}
