using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Webhooks.Configuration;

/// <summary>Source-generated contracts of the webhook and domain answers; their keys are snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookAnswer))]
[JsonSerializable(typeof(Page<WebhookAnswer>))]
[JsonSerializable(typeof(DomainAnswer))]
[JsonSerializable(typeof(Page<DomainAnswer>))]
internal sealed partial class WebhookConfigurationJsonContext : JsonSerializerContext;
