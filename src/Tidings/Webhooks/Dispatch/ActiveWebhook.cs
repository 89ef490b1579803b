using System.Text.Json;
using Tidings.Journal;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Dispatch;

/// <summary>A webhook as the engine runs it: its configuration, parsed once, and what it listens to.</summary>
internal sealed record ActiveWebhook(
    long Id,
    long AccountId,
    Uri Handler,
    IReadOnlySet<string> Triggers,
    IReadOnlySet<string> Callers,
    long? DatabaseId,
    long? CollectionId,
    WebhookFormat Format,
    string Signing,
    int MaxConcurrency,
    int MaxPerSecond,
    int BatchMaxEvents,
    int BatchMaxMs,
    bool Ordered,
    bool Enabled,
    long? FailingSince,
    string? DomainProblem,
    bool TraceContext = false)
{
    /// <summary>Journal record types that map to one of the triggers (what the webhook reads from the journal).</summary>
    public IReadOnlyList<string> JournalTypes { get; } = AllJournalTypes.Where(t => Triggers.Contains(WebhookPayloads.WebhookType(t)!)).ToList();

    /// <summary>Whether the engine sends for it: enabled, and its handler's host lies under a validated domain.</summary>
    public bool Deliverable => Enabled && DomainProblem is null;

    /// <summary>Batches are JSON arrays; a webhook that asked for them always gets an array, even of one.</summary>
    public bool Batched => BatchMaxEvents > 1;

    /// <summary>Settings whose change restarts the webhook's delivery loop (the rest is read on every call).</summary>
    public object ScheduleKey => (MaxConcurrency, BatchMaxEvents, BatchMaxMs, Ordered, string.Join(',', JournalTypes));

    private static readonly IReadOnlyList<string> AllJournalTypes =
    [
        EventTypes.Open, EventTypes.Click, EventTypes.Delivery, EventTypes.Failure, EventTypes.Bounce, EventTypes.Unsubscribe,
        EventTypes.ProfileCreate, EventTypes.SubprofileCreate, EventTypes.ProfileUpdate, EventTypes.SubprofileUpdate,
        EventTypes.ProfileDelete, EventTypes.SubprofileDelete,
    ];

    /// <summary>Whether an event of <paramref name="journalType"/> with this payload is for this webhook (trigger, scope, caller).</summary>
    public bool Matches(string journalType, JsonElement payload)
    {
        var trigger = WebhookPayloads.WebhookType(journalType);
        if (trigger is null || !Triggers.Contains(trigger)) return false;
        if (DatabaseId is { } database && Long(payload, "database") != database) return false;
        if (CollectionId is { } collection && Long(payload, "collection") != collection) return false;
        if (Callers.Count > 0 && journalType.Contains('.', StringComparison.Ordinal))
        {
            // Changes made through this server's API count as the Marketing Suite's ("ms"), as Copernica's REST API does.
            var caller = payload.TryGetProperty("caller", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "ms";
            if (!Callers.Contains(caller)) return false;
        }

        return true;
    }

    /// <summary>The key that orders events for <see cref="Ordered"/> webhooks: the subprofile or else the profile.</summary>
    public static string? ProfileKey(JsonElement payload) =>
        Long(payload, "subprofile") is { } sub ? "s" + sub : Long(payload, "profile") is { } profile ? "p" + profile : null;

    private static long? Long(JsonElement payload, string key)
    {
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var l) => l,
            JsonValueKind.String when long.TryParse(value.GetString(), out var parsed) => parsed,
            _ => null,
        };
    }

    public static ActiveWebhook From(WebhookRecord r, IReadOnlyList<string> validatedDomains) => new(
        r.Id, r.AccountId, new Uri(r.Handler), r.TriggerList.ToHashSet(StringComparer.Ordinal), r.CallerList.ToHashSet(StringComparer.Ordinal),
        r.DatabaseId, r.CollectionId, r.Format == WebhookFormats.Json ? WebhookFormat.Json : WebhookFormat.Form, r.Signing,
        (int)r.MaxConcurrency, (int)r.MaxPerSecond, (int)r.BatchMaxEvents, (int)r.BatchMaxMs, r.Ordered, r.Enabled, r.FailingSince,
        Domains.DomainStore.WhyNotAllowed(r.Handler, validatedDomains), r.TraceContext);
}
