using Microsoft.Extensions.Options;

namespace Tidings.Webhooks.Delivery;

/// <summary>
/// The building blocks of webhook delivery: the SSRF-guarded HTTP client (<see cref="SafeHttpClientFactory"/>) and the
/// payload formats (<see cref="WebhookPayloads"/>). No endpoints yet.
/// </summary>
public static class WebhookDeliveryFeature
{
    public static WebApplicationBuilder AddWebhookDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookDeliveryOptions>().BindConfiguration(WebhookDeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SafeHttpClientFactory(
            sp.GetRequiredService<IOptions<WebhookDeliveryOptions>>(), sp.GetRequiredService<IOptions<Development.WebhookDevelopmentOptions>>()));
        builder.Services.AddSingleton<WebhookPayloads>();
        return builder;
    }
}
