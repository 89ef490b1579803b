namespace Tidings.Telemetry;

/// <summary>
/// A feature's instruments on the <c>Tidings</c> meter. Registered as this too, so that the metrics export creates
/// them all at start (their observable gauges report from the first scrape, before the feature is first used).
/// </summary>
internal interface ITidingsInstruments;

internal static class TidingsInstrumentsRegistration
{
    /// <summary>Registers a feature's instruments: one instance, also listed as <see cref="ITidingsInstruments"/>.</summary>
    public static IServiceCollection AddTidingsInstruments<T>(this IServiceCollection services) where T : class, ITidingsInstruments
    {
        services.AddSingleton<T>();
        services.AddSingleton<ITidingsInstruments>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
