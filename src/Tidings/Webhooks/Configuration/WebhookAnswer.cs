using System.Globalization;
using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// A webhook as <c>GET webhook/{id}</c> and the lists answer it: Copernica's keys first (<c>ID</c>, <c>handler</c>,
/// <c>trigger</c>, <c>callers</c>), then Tidings' extensions; ids as strings, absent values as null.
/// </summary>
internal sealed record WebhookAnswer(
    [property: JsonPropertyName("ID")] string Id,
    string Handler,
    string Trigger,
    IReadOnlyList<string> Callers,
    string? Database,
    string? Collection,
    IReadOnlyList<string> Triggers,
    string Format,
    string Signing,
    long MaxConcurrency,
    long MaxPerSecond,
    long BatchMaxEvents,
    long BatchMaxMs,
    bool Ordered,
    bool TraceContext,
    bool Enabled,
    string? DisabledReason,
    bool Validated,
    string? ValidationError,
    string Created)
{
    public static WebhookAnswer From(ValidatedWebhook validated, CopernicaTime time)
    {
        var x = validated.Webhook;
        var triggers = x.TriggerList;
        return new WebhookAnswer(
            Text(x.Id), x.Handler, triggers.Count > 0 ? triggers[0] : "", x.CallerList, Text(x.DatabaseId), Text(x.CollectionId),
            triggers, x.Format, x.Signing, x.MaxConcurrency, x.MaxPerSecond, x.BatchMaxEvents, x.BatchMaxMs, x.Ordered, x.TraceContext, x.Enabled,
            x.DisabledReason, validated.Validated, validated.ValidationError, time.FormatMs(x.Created));
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string? Text(long? id) => id?.ToString(CultureInfo.InvariantCulture);
}
