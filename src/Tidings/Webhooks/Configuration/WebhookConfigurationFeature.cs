using Tidings.Rest;
using Tidings.Webhooks.Domains;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// Webhook configuration through the REST API and the domains an account has proven it owns. A webhook delivers only
/// when its handler's host lies under a validated domain (<see cref="DomainStore.IsHandlerAllowedAsync"/>).
/// </summary>
internal static class WebhookConfigurationFeature
{
    public static WebApplicationBuilder AddWebhookConfiguration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DomainOptions>().BindConfiguration(DomainOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.NameServer) || System.Net.IPEndPoint.TryParse(o.NameServer.Trim(), out _),
                "Webhooks:Domains:NameServer must be an IP address with an optional port, e.g. 127.0.0.1:5353")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<DomainStore>();
        builder.Services.AddSingleton<DomainVerifier>();
        builder.Services.AddSingleton<WebhookService>();
        builder.Services.AddSingleton<DomainService>();
        return builder;
    }

    public static WebApplication MapWebhookConfiguration(this WebApplication app)
    {
        var api = app.MapCopernicaGroup();
        WebhookEndpoints.Map(api);
        DomainEndpoints.Map(api);
        return app;
    }
}
