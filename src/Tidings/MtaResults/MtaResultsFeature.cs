using Tidings.Rest;

namespace Tidings.MtaResults;

/// <summary>The mail transfer agent reports what became of each message: delivery, retry, failure and bounce results.</summary>
internal static class MtaResultsFeature
{
    public static WebApplicationBuilder AddMtaResults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MtaResultsOptions>().BindConfiguration(MtaResultsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static WebApplication MapMtaResults(this WebApplication app)
    {
        MtaResultsEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
