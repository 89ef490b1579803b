using System.Globalization;
using Tidings.Profiles;
using Tidings.Rejections;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Dashboard;

/// <summary>How a webhook stands, as words and a tone the style sheet colours (ok, warn, off).</summary>
internal sealed record WebhookState(string Text, string? Detail, string Tone)
{
    public static WebhookState Of(ValidatedWebhook validated)
    {
        var w = validated.Webhook;
        if (!w.Enabled) return new("Disabled", w.DisabledReason, "off");
        if (!validated.Validated) return new("Awaiting domain validation", validated.ValidationError, "warn");
        return w.FailingSince is { } since
            ? new("Enabled, failing", "Calls fail since " + DashboardFormat.Time(since), "warn")
            : new("Enabled", null, "ok");
    }
}

/// <summary>
/// One webhook as the webhook pages show it: its settings and state from <see cref="WebhookService"/>, and how its
/// delivery goes from <see cref="WebhookDeliveryService"/> (runner status, newest attempt, pending retries, success
/// rate). Nothing is counted here that the services do not count.
/// </summary>
internal sealed record WebhookRow(
    ValidatedWebhook Validated, string Scope, WebhookState State, RunnerStatus? Runner, AttemptListItem? LastAttempt, long PendingRetries, SuccessRate SuccessRate)
{
    public WebhookRecord Webhook => Validated.Webhook;

    public string Id => Webhook.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Journal records the runner has not read yet (as REST <c>status</c> says <c>behind</c>).</summary>
    public long? Behind => Runner is { } r ? Math.Max(0, r.JournalHead - r.ReadUpTo) : null;

    public static async Task<WebhookRow> ReadAsync(long accountId, ValidatedWebhook validated, WebhookDeliveryService delivery, WebhookScopes scopes, CancellationToken ct)
    {
        var id = validated.Webhook.Id.ToString(CultureInfo.InvariantCulture);
        var status = await delivery.StatusAsync(accountId, id, ct);
        var (attempts, _) = await delivery.AttemptsAsync(accountId, id, 0, 1, ct);
        var (_, pending) = await delivery.DeliveriesAsync(accountId, id, "pending", 0, 1, ct);
        var scope = await scopes.NameAsync(validated.Webhook, ct);
        var rate = await delivery.SuccessRateAsync(accountId, id, ct);
        return new WebhookRow(validated, scope, WebhookState.Of(validated), status.Runner, attempts.Count > 0 ? attempts[0] : null, pending, rate);
    }

    /// <summary>What became of a call: delivered, refused with an HTTP status, or no answer at all.</summary>
    public static (string Text, bool Success) Outcome(AttemptListItem attempt) => attempt.Status switch
    {
        >= 200 and < 300 => ("Delivered (" + Code(attempt.Status) + ")", true),
        { } status => ("Failed (HTTP " + Code(status) + ")", false),
        null => ("No answer" + (attempt.Error is { Length: > 0 } e ? ": " + e : ""), false),
    };

    /// <summary>A success rate as the pages show it, rounded down to a tenth: 99.96 % of calls is not "100 %".</summary>
    public static string Percent(double percent)
    {
        var shown = Math.Floor(percent * 10) / 10;
        return shown.ToString(shown == Math.Floor(shown) ? "0" : "0.0", CultureInfo.InvariantCulture) + " %";
    }

    private static string Code(long? status) => status?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A webhook's scope by name (its collection, its database, or the whole account), each looked up once per request.</summary>
internal sealed class WebhookScopes(long accountId, DatabaseService databases, CollectionService collections)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public async Task<string> NameAsync(WebhookRecord webhook, CancellationToken ct)
    {
        if (webhook.CollectionId is { } c) return await CachedAsync("c" + c, async () =>
        {
            var collection = await collections.RequireAsync(accountId, Text(c), ct);
            var database = await DatabaseNameAsync(collection.DatabaseId, ct);
            return $"collection {collection.Name} of database {database}";
        }, $"collection {Text(c)}");
        if (webhook.DatabaseId is { } d) return "database " + await DatabaseNameAsync(d, ct);
        return "account";
    }

    private Task<string> DatabaseNameAsync(long id, CancellationToken ct) =>
        CachedAsync("d" + id, async () => (await databases.RequireAsync(accountId, Text(id), ct)).Name, Text(id));

    /// <summary>A name looked up once; a database or collection removed since shows by its id.</summary>
    private async Task<string> CachedAsync(string key, Func<Task<string>> lookUp, string fallback)
    {
        if (_names.TryGetValue(key, out var name)) return name;
        try { name = await lookUp(); }
        catch (RequestRejectedException) { name = fallback; }
        _names[key] = name;
        return name;
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
