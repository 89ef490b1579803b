using Tidings.Rest;
using Tidings.SecretProtection;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Secrets;

/// <summary>
/// Per-webhook Standard Webhooks secrets (<c>whsec_</c> for v1, <c>whsk_</c> for v1a): stored, generated on first
/// use, rotatable with a grace period, importable, removed with their webhook, and encrypted at rest.
/// </summary>
internal static class WebhookSecretsFeature
{
    public static WebApplicationBuilder AddWebhookSecrets(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookSecretsOptions>().BindConfiguration(WebhookSecretsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookSecretTable>();
        builder.Services.AddSecretColumn(WebhookSecretTable.SecretColumn);
        builder.Services.AddSingleton<WebhookSecretStore>();
        builder.Services.AddSingleton<IWebhookDeletionHook>(sp => sp.GetRequiredService<WebhookSecretStore>());
        builder.Services.AddSingleton<WebhookSecretService>();
        return builder;
    }

    public static WebApplication MapWebhookSecrets(this WebApplication app)
    {
        WebhookSecretEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
