using Tidings.Rest;

namespace Tidings.Statistics;

internal static class StatisticsFeature
{
    public static WebApplicationBuilder AddStatistics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StatisticsOptions>().BindConfiguration(StatisticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StatisticsStore>();
        builder.Services.AddSingleton<EventRates>();
        builder.Services.AddSingleton<StatisticsService>();
        builder.Services.AddSingleton<StatisticsConsumer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StatisticsConsumer>());
        return builder;
    }

    public static WebApplication MapStatistics(this WebApplication app)
    {
        StatisticsEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
