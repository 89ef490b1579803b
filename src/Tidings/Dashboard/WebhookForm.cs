using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Tidings.Profiles;
using Tidings.Webhooks.Configuration;

namespace Tidings.Dashboard;

/// <summary>
/// The webhook form's fields as the browser sent them (kept as text, so a refused value is shown back as typed), and the
/// JSON body <see cref="WebhookService"/> takes, built from them: every key of <see cref="WebhookInput"/> but
/// <c>enabled</c>, which has a button of its own.
/// </summary>
internal sealed class WebhookForm
{
    public string Handler { get; set; } = "";
    public IReadOnlyList<string> Triggers { get; set; } = [];
    public IReadOnlyList<string> Callers { get; set; } = WebhookTriggers.Callers;

    /// <summary>"" (the whole account), <c>d:&lt;id&gt;</c> (a database) or <c>c:&lt;id&gt;</c> (a collection).</summary>
    public string Scope { get; set; } = "";

    public string Format { get; set; } = WebhookFormats.Form;
    public string Signing { get; set; } = WebhookSigningSchemes.Copernica;
    public string MaxConcurrency { get; set; } = Text(WebhookLimits.MaxConcurrency.Default);
    public string MaxPerSecond { get; set; } = Text(WebhookLimits.MaxPerSecond.Default);
    public string BatchMaxEvents { get; set; } = Text(WebhookLimits.BatchMaxEvents.Default);
    public string BatchMaxMs { get; set; } = Text(WebhookLimits.BatchMaxMs.Default);
    public bool Ordered { get; set; }

    /// <summary>Calls carry a W3C <c>traceparent</c> header while the server traces.</summary>
    public bool TraceContext { get; set; }

    /// <summary>The service's rejection, and the field it is about (a key of <see cref="FieldOf"/>; null: the form as a whole).</summary>
    public string? Error { get; set; }

    public string? ErrorField { get; set; }

    /// <summary>Databases and their collections to choose the scope from.</summary>
    public IReadOnlyList<ScopeGroup> Scopes { get; set; } = [];

    public static WebhookForm From(WebhookRecord w) => new()
    {
        Handler = w.Handler,
        Triggers = w.TriggerList,
        Callers = w.CallerList,
        Scope = w.CollectionId is { } c ? "c:" + Text(c) : w.DatabaseId is { } d ? "d:" + Text(d) : "",
        Format = w.Format,
        Signing = w.Signing,
        MaxConcurrency = Text(w.MaxConcurrency),
        MaxPerSecond = Text(w.MaxPerSecond),
        BatchMaxEvents = Text(w.BatchMaxEvents),
        BatchMaxMs = Text(w.BatchMaxMs),
        Ordered = w.Ordered,
        TraceContext = w.TraceContext,
    };

    public static WebhookForm From(IFormCollection form) => new()
    {
        Handler = form["handler"].ToString(),
        Triggers = form["triggers"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList(),
        Callers = form["callers"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList(),
        Scope = form["scope"].ToString(),
        Format = form["format"].ToString(),
        Signing = form["signing"].ToString(),
        MaxConcurrency = form[WebhookLimits.MaxConcurrency.Key].ToString(),
        MaxPerSecond = form[WebhookLimits.MaxPerSecond.Key].ToString(),
        BatchMaxEvents = form[WebhookLimits.BatchMaxEvents.Key].ToString(),
        BatchMaxMs = form[WebhookLimits.BatchMaxMs.Key].ToString(),
        Ordered = form["ordered"].Any(v => v == "true"),
        TraceContext = form[WebhookInput.TraceContextKey].Any(v => v == "true"),
    };

    /// <summary>The body for <see cref="WebhookService.CreateAsync"/> or <see cref="WebhookService.UpdateAsync"/>.</summary>
    public JsonObject Body()
    {
        var (database, collection) = Scope switch
        {
            ['d', ':', .. var id] => (id, ""),
            ['c', ':', .. var id] => ("", id),
            _ => ("", ""),
        };
        // No caller ticked means both, as an absent 'callers' does; an empty list would be refused nowhere but mean nothing.
        var callers = Callers.Count == 0 ? WebhookTriggers.Callers : Callers;
        return new JsonObject
        {
            ["handler"] = Handler,
            ["triggers"] = new JsonArray(Triggers.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["callers"] = new JsonArray(callers.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["database"] = database,
            ["collection"] = collection,
            ["format"] = Format,
            ["signing"] = Signing,
            [WebhookLimits.MaxConcurrency.Key] = MaxConcurrency,
            [WebhookLimits.MaxPerSecond.Key] = MaxPerSecond,
            [WebhookLimits.BatchMaxEvents.Key] = BatchMaxEvents,
            [WebhookLimits.BatchMaxMs.Key] = BatchMaxMs,
            ["ordered"] = Ordered ? "true" : "false",
            [WebhookInput.TraceContextKey] = TraceContext ? "true" : "false",
        };
    }

    /// <summary>Keeps a rejection, placed next to the field its text names.</summary>
    public void Refused(string message)
    {
        Error = DashboardText.Sentence(message);
        ErrorField = FieldOf(message);
    }

    /// <summary>The form field a service message is about, by the key or word it names; null when none.</summary>
    internal static string? FieldOf(string message)
    {
        string[] keys = [WebhookLimits.MaxConcurrency.Key, WebhookLimits.MaxPerSecond.Key, WebhookLimits.BatchMaxEvents.Key, WebhookLimits.BatchMaxMs.Key];
        foreach (var key in keys)
        {
            if (message.Contains(key, StringComparison.Ordinal)) return key;
        }

        if (message.Contains("handler", StringComparison.OrdinalIgnoreCase)) return "handler";
        if (message.Contains("trigger", StringComparison.OrdinalIgnoreCase)) return "triggers";
        if (message.Contains("caller", StringComparison.OrdinalIgnoreCase)) return "callers";
        if (message.Contains("format", StringComparison.OrdinalIgnoreCase)) return "format";
        if (message.Contains("signing", StringComparison.OrdinalIgnoreCase)) return "signing";
        if (message.Contains("collection", StringComparison.OrdinalIgnoreCase) || message.Contains("database", StringComparison.OrdinalIgnoreCase)) return "scope";
        return null;
    }

    /// <summary>The error next to <paramref name="field"/> (<c>id="field-error"</c>, which the field's aria-describedby names); nothing when it is fine.</summary>
    public IHtmlContent ErrorMarkup(string field)
    {
        if (ErrorFor(field) is not { } error) return HtmlString.Empty;
        var tag = new TagBuilder("p");
        tag.AddCssClass("field-error");
        tag.Attributes["id"] = field + "-error";
        tag.InnerHtml.Append(error);
        return tag;
    }

    /// <summary>The error text when it is about <paramref name="field"/>.</summary>
    public string? ErrorFor(string field) => ErrorField == field ? Error : null;

    /// <summary>The account's databases with their collections, for the scope select.</summary>
    public static async Task<IReadOnlyList<ScopeGroup>> ScopesAsync(long accountId, DatabaseService databases, CancellationToken ct)
    {
        var (items, _) = await databases.ListAsync(accountId, 0, MaxDatabases, ct);
        return items.Select(d => new ScopeGroup(Text(d.Database.Id), d.Database.Name,
            d.Collections.Select(c => (Text(c.Collection.Id), c.Collection.Name)).ToList())).ToList();
    }

    /// <summary>Databases offered in the scope select; an account with more is rare, and REST can scope to any.</summary>
    public const int MaxDatabases = 500;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A database and its collections as the scope select offers them.</summary>
internal sealed record ScopeGroup(string Id, string Name, IReadOnlyList<(string Id, string Name)> Collections);
