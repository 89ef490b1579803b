namespace Tidings.Webhooks.Development;

/// <summary>Webhooks on one machine: the <see cref="WebhookDevelopmentOptions.AllowLoopback"/> setting, with its warning at start.</summary>
public static class WebhookDevelopmentFeature
{
    public static WebApplicationBuilder AddWebhookDevelopment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookDevelopmentOptions>().BindConfiguration(WebhookDevelopmentOptions.Section).ValidateOnStart();
        builder.Services.AddHostedService<LoopbackWarning>();
        return builder;
    }
}
