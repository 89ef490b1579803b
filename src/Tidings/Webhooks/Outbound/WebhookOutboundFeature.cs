using Microsoft.Extensions.Options;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// The building blocks of webhook delivery: the SSRF-guarded HTTP client (<see cref="SafeHttpClientFactory"/>) and the
/// payload formats (<see cref="WebhookPayloads"/>). No endpoints yet.
/// </summary>
internal static class WebhookOutboundFeature
{
    public static WebApplicationBuilder AddWebhookOutbound(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOutboundOptions>().BindConfiguration(WebhookOutboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SafeHttpClientFactory(
            sp.GetRequiredService<IOptions<WebhookOutboundOptions>>(), sp.GetRequiredService<IOptions<WebhookDevelopmentOptions>>()));
        builder.Services.AddSingleton<WebhookPayloads>();
        return builder;
    }
}
