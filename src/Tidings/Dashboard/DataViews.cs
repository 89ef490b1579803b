using System.Globalization;
using Tidings.Profiles;

namespace Tidings.Dashboard;

/// <summary>
/// A page of profiles or subprofiles as a table: the fields marked to display (all when none is), at most
/// <see cref="MaxColumns"/> of them, so a database with a hundred fields still fits; the row's own page shows every field.
/// </summary>
/// <param name="Subprofiles">Rows are subprofiles (their ids link to the subprofile page); <paramref name="ShowProfile"/> adds a column linking to their profile.</param>
internal sealed record ValueRowsView(FieldSet Fields, IReadOnlyList<ValueRow> Rows, bool Subprofiles, string Label, bool ShowProfile = false)
{
    public const int MaxColumns = 8;

    public IReadOnlyList<FieldDefinition> Columns { get; } = PickColumns(Fields);

    public int Hidden => Fields.All.Count - Columns.Count;

    private static List<FieldDefinition> PickColumns(FieldSet fields)
    {
        var displayed = fields.All.Where(f => f.Displayed).ToList();
        return (displayed.Count > 0 ? displayed : fields.All).Take(MaxColumns).ToList();
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the search form of a profile or subprofile page shows: the search as given, the fields to order by, the service's refusal.</summary>
internal sealed record SearchFormView(DataSearch Search, FieldSet Fields, string Action, string? Error, string Subject)
{
    /// <summary>An example condition on a field the database or collection has (its e-mail address when it has one).</summary>
    public string Example => Fields.Find("email") is { } email ? email.Name + "==ann@example.com"
        : Fields.All.Count > 0 ? Fields.All[0].Name + "==" + (FieldTypes.IsNumeric(Fields.All[0].Type) ? "10" : "value")
        : "id==1";
}

/// <summary>The webhooks linked to a database or collection, as those pages list them.</summary>
internal sealed record LinkedWebhooksView(IReadOnlyList<LinkedWebhook> Items, long Total, string Subject);

/// <summary>One linked webhook: its id, handler, triggers, scope and state.</summary>
internal sealed record LinkedWebhook(string Id, string Handler, string Triggers, string Scope, WebhookState State);

/// <summary>Reads the webhooks linked to a database or collection from <c>WebhookService</c>, with their scope by name.</summary>
internal static class LinkedWebhooks
{
    public const int Count = 50;

    public static async Task<LinkedWebhooksView> ReadAsync(
        (IReadOnlyList<Tidings.Webhooks.Configuration.ValidatedWebhook> Items, long Total) page, WebhookScopes scopes, string subject, CancellationToken ct)
    {
        var items = new List<LinkedWebhook>(page.Items.Count);
        foreach (var v in page.Items)
        {
            var w = v.Webhook;
            items.Add(new LinkedWebhook(w.Id.ToString(CultureInfo.InvariantCulture), w.Handler, string.Join(", ", w.TriggerList), await scopes.NameAsync(w, ct), WebhookState.Of(v)));
        }

        return new LinkedWebhooksView(items, page.Total, subject);
    }
}
