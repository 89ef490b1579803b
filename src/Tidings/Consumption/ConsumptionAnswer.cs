using System.Text.Json.Serialization;

namespace Tidings.Consumption;

/// <summary>
/// <c>GET consumption</c> with Copernica's keys and order; Tidings counts emails and API calls, the channels it does not
/// have are 0.
/// </summary>
internal sealed record ConsumptionAnswer(
    long Emails,
    int Texts,
    int Fax,
    int Webpages,
    [property: JsonPropertyName("apicalls")] long ApiCalls,
    [property: JsonPropertyName("litmustests")] int LitmusTests,
    [property: JsonPropertyName("twofiftyoktests")] int TwoFiftyOkTests)
{
    public static ConsumptionAnswer Of(long emails, long apiCalls) => new(emails, 0, 0, 0, apiCalls, 0, 0);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConsumptionAnswer))]
internal sealed partial class ConsumptionJsonContext : JsonSerializerContext;
