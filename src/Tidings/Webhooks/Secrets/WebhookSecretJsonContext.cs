using System.Text.Json.Serialization;

namespace Tidings.Webhooks.Secrets;

/// <summary>Source-generated contracts of the secret answers; their keys are snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookSecretsAnswer))]
[JsonSerializable(typeof(WebhookSecretAnswer))]
internal sealed partial class WebhookSecretJsonContext : JsonSerializerContext;
