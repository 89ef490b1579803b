namespace Tidings.Webhooks.Configuration;

/// <summary>One row of the <c>webhooks</c> table; the delivery engine reads these.</summary>
internal sealed class WebhookRecord
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public string Handler { get; set; } = "";

    /// <summary>JSON array of <see cref="WebhookTriggers.All"/> values.</summary>
    public string Triggers { get; set; } = "[]";

    /// <summary>JSON array of <see cref="WebhookTriggers.Callers"/> values.</summary>
    public string Callers { get; set; } = "[]";

    public long? DatabaseId { get; set; }
    public long? CollectionId { get; set; }
    public string Format { get; set; } = WebhookFormats.Form;
    public string Signing { get; set; } = WebhookSigningSchemes.Copernica;
    public long MaxConcurrency { get; set; }
    public long MaxPerSecond { get; set; }
    public long BatchMaxEvents { get; set; }
    public long BatchMaxMs { get; set; }
    public bool Enabled { get; set; } = true;
    public long Created { get; init; }
    public string? DisabledReason { get; set; }

    /// <summary>Deliver one profile's (or subprofile's) events one at a time, in journal order.</summary>
    public bool Ordered { get; set; }

    /// <summary>Calls carry a W3C <c>traceparent</c> header (the call's span, when tracing is on); off by default.</summary>
    public bool TraceContext { get; set; }

    /// <summary>Unix ms of the first failed call since the last successful one; null while healthy.</summary>
    public long? FailingSince { get; init; }

    /// <summary>Unix ms of the last successful call.</summary>
    public long? LastSuccess { get; init; }

    /// <summary>Unix ms it was disabled; null while enabled.</summary>
    public long? DisabledAt { get; init; }

    /// <summary>Waiting deliveries whose journal records retention removed while the webhook was disabled past the hold.</summary>
    public long LostEvents { get; init; }

    /// <summary>Lowest and highest journal seq of the lost events, and when the last was lost (Unix ms).</summary>
    public long? LostFrom { get; init; }

    public long? LostTo { get; init; }

    public long? LostAt { get; init; }

    public IReadOnlyList<string> TriggerList => System.Text.Json.JsonSerializer.Deserialize<string[]>(Triggers) ?? [];

    public IReadOnlyList<string> CallerList => System.Text.Json.JsonSerializer.Deserialize<string[]>(Callers) ?? [];
}

/// <summary>Copernica's REST <c>trigger</c> values (§1.9), plus <c>unsubscribe</c>; and the <c>callers</c> values.</summary>
internal static class WebhookTriggers
{
    public static readonly IReadOnlyList<string> All = ["create", "update", "delete", "click", "delivery", "open", "bounce", "failure", "unsubscribe"];

    /// <summary>Where a change came from: the Marketing Suite or Publisher. Absent: both (as Copernica).</summary>
    public static readonly IReadOnlyList<string> Callers = ["ms", "publisher"];
}

internal static class WebhookFormats
{
    /// <summary><c>application/x-www-form-urlencoded</c> with bracketed maps, Copernica's documented default.</summary>
    public const string Form = "form";

    public const string Json = "json";

    public static readonly IReadOnlyList<string> All = [Form, Json];
}

internal static class WebhookSigningSchemes
{
    public const string Copernica = "copernica";
    public const string Standard = "standard";
    public const string Both = "both";
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Copernica, Standard, Both, None];
}

/// <summary>Per-webhook delivery limits: defaults and the ranges a client may choose from.</summary>
internal static class WebhookLimits
{
    public static readonly (string Key, long Default, long Min, long Max) MaxConcurrency = ("max_concurrency", 4, 1, 64);
    public static readonly (string Key, long Default, long Min, long Max) MaxPerSecond = ("max_per_second", 50, 1, 100_000);
    public static readonly (string Key, long Default, long Min, long Max) BatchMaxEvents = ("batch_max_events", 1, 1, 1000);
    public static readonly (string Key, long Default, long Min, long Max) BatchMaxMs = ("batch_max_ms", 0, 0, 60_000);
}
