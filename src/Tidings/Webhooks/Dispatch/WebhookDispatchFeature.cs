using Tidings.Rest;
using Tidings.Telemetry;
using Tidings.Webhooks.Configuration;

namespace Tidings.Webhooks.Dispatch;

/// <summary>
/// The delivery engine: per-webhook journal cursors, scheduling with limits, retries, the attempt log, replays, test
/// calls. See docs/webhooks.md.
/// </summary>
internal static class WebhookDispatchFeature
{
    public static WebApplicationBuilder AddWebhookDispatch(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateDataAnnotations()
            .Validate<Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions>>((dispatch, server) => dispatch.ShutdownGrace < server.Value.ShutdownTimeout,
                "Webhooks:Dispatch:ShutdownGrace must be shorter than Server:ShutdownTimeout (the whole stop's bound).")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value);
        builder.Services.AddSingleton<IWebhookDeletionHook, DeliveryStateCleanup>();
        builder.Services.AddSingleton<Journal.IJournalRetentionHook, DisabledWebhookRetention>();
        builder.Services.AddSingleton<IWebhookKeySource>(sp => new SecretStoreKeys(sp.GetRequiredService<Secrets.WebhookSecretStore>()));
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookTester>();
        // The ledger is registered before the dispatcher so that it stops after it (hosted services stop in reverse).
        builder.Services.AddSingleton<DeliveryLedger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryLedger>());
        builder.Services.AddTidingsInstruments<WebhookMetrics>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<WebhookReplays>();
        builder.Services.AddHostedService<ReplayWorker>();
        builder.Services.AddSingleton<DeliveryHistoryStore>();
        builder.Services.AddSingleton<AttemptBodies>();
        builder.Services.AddSingleton<WebhookDeliveryService>();
        return builder;
    }

    public static WebApplication MapWebhookDispatch(this WebApplication app)
    {
        WebhookDeliveryEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}

/// <summary>The per-webhook Standard Webhooks secrets, as the sender needs them.</summary>
internal sealed class SecretStoreKeys(Secrets.WebhookSecretStore store) : IWebhookKeySource
{
    public Task<Signing.StandardWebhooksKeys> GetKeysAsync(long webhookId, CancellationToken cancellationToken) => store.GetKeysAsync(webhookId, cancellationToken);
}
