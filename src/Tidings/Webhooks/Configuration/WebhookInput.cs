using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.Rejections;

namespace Tidings.Webhooks.Configuration;

/// <summary>
/// A webhook body (<c>POST webhooks</c>, <c>PUT webhook/{id}</c>) checked and applied to a record: only the keys present
/// change. <c>trigger</c> (Copernica, one string) and <c>triggers</c> (array) are both accepted.
/// </summary>
internal static class WebhookInput
{
    public const string NoWebhook = "No webhook with supplied ID";

    /// <summary>Keys of a webhook as GET shows it that no request can set; a body may carry them and they are ignored.</summary>
    public static readonly string[] ReadOnlyKeys = ["ID", "disabled_reason", "validated", "validation_error", "created"];

    /// <summary>
    /// The keys a webhook body may have: Copernica's (<c>handler</c>, <c>trigger</c>, <c>callers</c>, <c>database</c>,
    /// <c>collection</c>), Tidings' own, and the read-only keys a GET answers with (<see cref="ReadOnlyKeys"/>), so that
    /// a client can send back the object it read. Anything else, a misspelt key included, is refused rather than dropped.
    /// </summary>
    public static readonly BodyKeys Keys = BodyKeys.Of([
        "handler", "trigger", "triggers", "callers", "database", "collection", "format", "signing",
        WebhookLimits.MaxConcurrency.Key, WebhookLimits.MaxPerSecond.Key, WebhookLimits.BatchMaxEvents.Key, WebhookLimits.BatchMaxMs.Key,
        "ordered", "enabled", TraceContextKey, .. ReadOnlyKeys]);

    /// <summary>Whether calls carry a W3C <c>traceparent</c> header (Tidings; off by default).</summary>
    public const string TraceContextKey = "trace_context";

    /// <summary>Applies the body to <paramref name="webhook"/>; database and collection are resolved for the account.</summary>
    public static async Task ApplyAsync(JsonObject body, WebhookRecord webhook, bool creating, DatabaseStore databases, CancellationToken ct)
    {
        if (body.ContainsKey("handler") || creating) webhook.Handler = Handler(Text(body, "handler"));

        var triggers = Strings(body, "triggers") ?? Strings(body, "trigger");
        if (Strings(body, "triggers") is { } all && Text(body, "trigger") is { Length: > 0 } one
            && !all.Any(t => string.Equals(t.Trim(), one.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            // A webhook sent back as GET shows it carries both; an edited 'trigger' must not be lost to the old 'triggers'.
            throw new RequestRejectedException($"'trigger' ({one}) is not among 'triggers': change both, or send only one of them");
        }
        if (triggers is not null)
        {
            var normalised = triggers.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
            if (normalised.Count == 0) throw new RequestRejectedException("At least one trigger is required (" + string.Join(", ", WebhookTriggers.All) + ")");
            foreach (var t in normalised)
            {
                if (!WebhookTriggers.All.Contains(t)) throw new RequestRejectedException($"Unknown trigger '{t}' (expected one of {string.Join(", ", WebhookTriggers.All)})");
            }

            webhook.Triggers = JsonSerializer.Serialize(normalised);
        }
        else if (creating)
        {
            throw new RequestRejectedException("A trigger is required (" + string.Join(", ", WebhookTriggers.All) + ")");
        }

        var callers = Strings(body, "callers");
        if (callers is not null)
        {
            var normalised = callers.Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().ToList();
            foreach (var c in normalised)
            {
                if (!WebhookTriggers.Callers.Contains(c)) throw new RequestRejectedException($"Unknown caller '{c}' (expected ms or publisher)");
            }

            webhook.Callers = JsonSerializer.Serialize(normalised.Count == 0 ? WebhookTriggers.Callers : normalised);
        }
        else if (creating)
        {
            webhook.Callers = JsonSerializer.Serialize(WebhookTriggers.Callers);
        }

        await ApplyScopeAsync(body, webhook, databases, ct);

        if (Text(body, "format") is { } format)
        {
            format = format.Trim().ToLowerInvariant();
            if (!WebhookFormats.All.Contains(format)) throw new RequestRejectedException($"Unknown format '{format}' (expected form or json)");
            webhook.Format = format;
        }

        if (Text(body, "signing") is { } signing)
        {
            signing = signing.Trim().ToLowerInvariant();
            if (!WebhookSigningSchemes.All.Contains(signing)) throw new RequestRejectedException($"Unknown signing '{signing}' (expected copernica, standard, both or none)");
            webhook.Signing = signing;
        }

        webhook.MaxConcurrency = Limit(body, WebhookLimits.MaxConcurrency, creating ? null : webhook.MaxConcurrency);
        webhook.MaxPerSecond = Limit(body, WebhookLimits.MaxPerSecond, creating ? null : webhook.MaxPerSecond);
        webhook.BatchMaxEvents = Limit(body, WebhookLimits.BatchMaxEvents, creating ? null : webhook.BatchMaxEvents);
        webhook.BatchMaxMs = Limit(body, WebhookLimits.BatchMaxMs, creating ? null : webhook.BatchMaxMs);

        if (body["ordered"] is { } orderedNode)
        {
            webhook.Ordered = QueryValues.IsTrue(FieldTypes.ToScalarText(orderedNode));
        }

        if (body[TraceContextKey] is { } traceNode)
        {
            webhook.TraceContext = QueryValues.IsTrue(FieldTypes.ToScalarText(traceNode));
        }

        if (body["enabled"] is { } enabledNode)
        {
            var enabled = QueryValues.IsTrue(FieldTypes.ToScalarText(enabledNode));
            if (enabled) webhook.DisabledReason = null;
            webhook.Enabled = enabled;
        }
    }

    private static async Task ApplyScopeAsync(JsonObject body, WebhookRecord webhook, DatabaseStore databases, CancellationToken ct)
    {
        var hasDatabase = body.ContainsKey("database");
        var hasCollection = body.ContainsKey("collection");
        if (!hasDatabase && !hasCollection) return;

        var databaseText = hasDatabase ? Text(body, "database") : null;
        var collectionText = hasCollection ? Text(body, "collection") : null;
        DatabaseRecord? database = null;
        if (hasDatabase)
        {
            database = string.IsNullOrWhiteSpace(databaseText) ? null : await databases.RequireDatabaseAsync(webhook.AccountId, databaseText, ct);
            webhook.DatabaseId = database?.Id;
            if (!hasCollection && webhook.CollectionId is not null)
            {
                // A collection of another database cannot stay.
                webhook.CollectionId = null;
            }
        }

        if (hasCollection)
        {
            if (string.IsNullOrWhiteSpace(collectionText))
            {
                webhook.CollectionId = null;
                return;
            }

            if (database is null && webhook.DatabaseId is { } current && !hasDatabase)
            {
                database = await databases.RequireDatabaseAsync(webhook.AccountId, current.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            }

            var collection = await databases.FindCollectionAsync(webhook.AccountId, collectionText, database, ct) ?? throw new RequestRejectedException(CopernicaErrors.NoCollection);
            webhook.CollectionId = collection.Id;
            webhook.DatabaseId = collection.DatabaseId;
        }
    }

    private static string Handler(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new RequestRejectedException("A handler is required: the absolute http or https URL the webhook calls");
        text = text.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new RequestRejectedException($"The handler '{text}' is not an absolute http or https URL");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new RequestRejectedException("The handler URL may not contain a user name or password");
        if (uri.HostNameType == UriHostNameType.Dns && Domains.HostNames.Normalize(uri.IdnHost) is null && Outbound.LoopbackHosts.Normalize(uri.Host) is null)
        {
            throw new RequestRejectedException($"The handler's host '{uri.Host}' is not a valid domain name");
        }

        return text;
    }

    private static long Limit(JsonObject body, (string Key, long Default, long Min, long Max) limit, long? current)
    {
        if (Text(body, limit.Key) is not { } text || text.Length == 0) return current ?? limit.Default;
        if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < limit.Min || value > limit.Max)
        {
            throw new RequestRejectedException($"{limit.Key} must be a whole number from {limit.Min} to {limit.Max}");
        }

        return value;
    }

    /// <summary>A scalar body value as text; null when absent or JSON null.</summary>
    internal static string? Text(JsonObject body, string name) =>
        body[name] is { } node ? FieldTypes.ToScalarText(node) ?? throw new RequestRejectedException($"'{name}' must be a single value") : null;

    /// <summary>A string or an array (or a form map <c>x[0]=…</c>) of strings; null when absent.</summary>
    private static List<string>? Strings(JsonObject body, string name) => body[name] switch
    {
        null => body.ContainsKey(name) ? [] : null,
        JsonArray array => array.Select(n => n is null ? "" : FieldTypes.ToScalarText(n) ?? throw new RequestRejectedException($"'{name}' must hold strings")).ToList(),
        JsonObject map => map.Select(p => p.Value is null ? "" : FieldTypes.ToScalarText(p.Value) ?? throw new RequestRejectedException($"'{name}' must hold strings")).ToList(),
        var node => (FieldTypes.ToScalarText(node) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
    };
}
