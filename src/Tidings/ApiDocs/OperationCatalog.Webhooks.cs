using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Rows: webhooks, their signing keys, domains, secrets and delivery.</summary>
internal static partial class OperationCatalog
{
    private static IEnumerable<ApiOperation> Webhooks() =>
    [
        new("GET", "/.well-known/tidings/webhook-keys", "getWebhookSigningKeys") { Replies = [Json("PublishedKeys")] },
        Create("/v3/webhooks", "createWebhook", "WebhookCreate", required: true),
        Get("/v3/webhooks", "listWebhooks", "WebhookList", Paging),
        Get("/v3/webhook/{id}", "getWebhook", "Webhook"),
        .. Change("/v3/webhook/{id}", "updateWebhook", "WebhookUpdate"),
        Delete("/v3/webhook/{id}", "deleteWebhook"),
        Get("/v3/database/{id}/webhooks", "listDatabaseWebhooks", "WebhookList", Paging),
        Get("/v3/collection/{id}/webhooks", "listCollectionWebhooks", "WebhookList", Paging),

        Create("/v3/domains", "createDomain", "DomainInput", required: true),
        Get("/v3/domains", "listDomains", "DomainList", Paging),
        Get("/v3/domain/{id}", "getDomain", "Domain"),
        Delete("/v3/domain/{id}", "deleteDomain"),
        new("POST", "/v3/domain/{id}/validate", "validateDomain")
        {
            Body = Input("DomainValidation"),
            Replies = [Json("Domain", "Validated; message says how.")],
        },

        Get("/v3/webhook/{id}/secrets", "getWebhookSecrets", "WebhookSecrets"),
        new("POST", "/v3/webhook/{id}/secrets/rotate", "rotateWebhookSecret")
        {
            Body = Input("WebhookSecretRotation"), Replies = [Json("WebhookSecret", "The new secret.")],
        },
        .. Change("/v3/webhook/{id}/secrets", "importWebhookSecret", "WebhookSecretImport", required: true, Json("WebhookSecret", "The imported secret, as stored.")),
        new("DELETE", "/v3/webhook/{id}/secrets/ed25519", "deleteWebhookEd25519Key") { Replies = [NoContent] },
    ];

    private static IEnumerable<ApiOperation> WebhookDelivery() =>
    [
        Get("/v3/webhook/{id}/status", "getWebhookStatus", "WebhookStatus"),
        Get("/v3/webhook/{id}/attempts", "listWebhookAttempts", "WebhookAttemptList", Paging),
        Get("/v3/webhook/{id}/deliveries", "listWebhookDeliveries", "WebhookDeliveryList",
            Query(Paging, [new("status", "Only deliveries in this state.", () => Enum("pending", "failed", "delivered"))])),
        new("POST", "/v3/webhook/{id}/delivery/{deliveryId}/retry", "retryWebhookDelivery") { Replies = [Created] },
        new("POST", "/v3/webhook/{id}/replay", "createWebhookReplay") { Body = Input("WebhookReplayInput", required: true), Replies = [Created] },
        Get("/v3/webhook/{id}/replays", "listWebhookReplays", "WebhookReplayList", Paging),
        Get("/v3/webhook/{id}/replay/{replayId}", "getWebhookReplay", "WebhookReplay"),
        new("POST", "/v3/webhook/{id}/test", "testWebhook") { Body = Input("WebhookTestInput"), Replies = [Json("WebhookTestResult")] },
        new("POST", "/v3/webhooks/check", "checkWebhooks") { Replies = [Json("WebhookCheck")] },
    ];
}
