using Tidings.Rest;

namespace Tidings.Mailings;

internal static class MailingsFeature
{
    public static WebApplicationBuilder AddMailings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailingsOptions>().BindConfiguration(MailingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MailingExpansionSignal>();
        builder.Services.AddSingleton<MailingStore>();
        builder.Services.AddSingleton<MailingExpander>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailingExpander>());
        return builder;
    }

    public static WebApplication MapMailings(this WebApplication app)
    {
        MailingEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
