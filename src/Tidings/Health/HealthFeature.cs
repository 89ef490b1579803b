namespace Tidings.Health;

/// <summary>Liveness (<c>/healthz</c>) and readiness (<c>/readyz</c>) for probes and load balancers; see docs/operations.md, "Health".</summary>
internal static class HealthFeature
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReadinessChecks>();
        builder.Services.AddSingleton<ReadinessProbe>();
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        HealthEndpoints.Map(app);
        return app;
    }
}
