using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Webhooks.Dispatch;

/// <summary>Source-generated contracts of the delivery answers; their keys are snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookStatusAnswer))]
[JsonSerializable(typeof(RunningWebhookStatusAnswer))]
[JsonSerializable(typeof(Page<AttemptAnswer>))]
[JsonSerializable(typeof(Page<DeliveryAnswer>))]
[JsonSerializable(typeof(ReplayAnswer))]
[JsonSerializable(typeof(Page<ReplayAnswer>))]
[JsonSerializable(typeof(WebhookTestAnswer))]
[JsonSerializable(typeof(WebhookChecksAnswer))]
internal sealed partial class WebhookDeliveryJsonContext : JsonSerializerContext;
