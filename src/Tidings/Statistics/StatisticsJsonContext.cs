using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Statistics;

/// <summary>Source-generated contracts of the statistics answers and of each event list's page.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MailingStatisticsAnswer))]
[JsonSerializable(typeof(DestinationStatisticsAnswer))]
[JsonSerializable(typeof(Page<DeliveryAnswer>))]
[JsonSerializable(typeof(Page<ImpressionAnswer>))]
[JsonSerializable(typeof(Page<ClickAnswer>))]
[JsonSerializable(typeof(Page<ErrorAnswer>))]
[JsonSerializable(typeof(Page<AbuseAnswer>))]
[JsonSerializable(typeof(Page<UnsubscribeAnswer>))]
internal sealed partial class StatisticsJsonContext : JsonSerializerContext;
