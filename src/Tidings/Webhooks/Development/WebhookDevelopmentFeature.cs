using Tidings.Hosting;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Development;

/// <summary>
/// Webhooks on one machine: the <see cref="WebhookDevelopmentOptions.AllowLoopback"/> setting (with its warning at
/// start) and the <c>receive PORT</c> command, a receiver that serves verification files and prints each call with its
/// signatures checked.
/// </summary>
internal static class WebhookDevelopmentFeature
{
    public static WebApplicationBuilder AddWebhookDevelopment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookDevelopmentOptions>().BindConfiguration(WebhookDevelopmentOptions.Section).ValidateOnStart();
        builder.Services.AddHostedService<LoopbackWarning>();
        builder.Services.AddAdminVerbs<ReceiveVerb>();
        return builder;
    }
}
