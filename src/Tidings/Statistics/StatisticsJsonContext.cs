using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Statistics;

/// <summary>Source-generated contracts of the statistics answers and of each event list's page.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MailingStatisticsAnswer))]
[JsonSerializable(typeof(DestinationStatisticsAnswer))]
[JsonSerializable(typeof(Page<DeliveryEventAnswer>))]
[JsonSerializable(typeof(Page<ImpressionEventAnswer>))]
[JsonSerializable(typeof(Page<ClickEventAnswer>))]
[JsonSerializable(typeof(Page<ErrorEventAnswer>))]
[JsonSerializable(typeof(Page<AbuseEventAnswer>))]
[JsonSerializable(typeof(Page<UnsubscribeEventAnswer>))]
internal sealed partial class StatisticsJsonContext : JsonSerializerContext;
