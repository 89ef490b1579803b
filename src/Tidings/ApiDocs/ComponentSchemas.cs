using Microsoft.OpenApi;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>
/// The named schemas of the document (<c>#/components/schemas</c>): what Tidings really writes and reads, shape by
/// shape (the answer records are in the features' *Answer*.cs files). Split by feature over partial files.
/// </summary>
internal sealed partial class ComponentSchemas(OpenApiDocument document)
{
    private readonly Dictionary<string, IOpenApiSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>Every schema, built against <paramref name="document"/> so that references resolve in it.</summary>
    public IReadOnlyDictionary<string, IOpenApiSchema> All()
    {
        if (_schemas.Count > 0) return _schemas;
        Add("Error", Object("Copernica's error: HTTP 400 and one message; nothing was changed.",
            ("error", Object(("message", String("What went wrong, e.g. \"No database with supplied ID\" or \"Invalid access token\".")))))
        );
        AddAccount();
        AddMarketingData();
        AddMailings();
        AddStatistics();
        AddWebhooks();
        AddWebhookDelivery();
        AddMailTransferAgent();
        return _schemas;
    }

    public IOpenApiSchema Ref(string name) => new OpenApiSchemaReference(name, document);

    private void Add(string name, OpenApiSchema schema) => _schemas.Add(name, schema);

    /// <summary>Copernica's list wrapper, keys in its order: <c>start, limit, count, data, total</c> (total=false omits total).</summary>
    private void AddList(string name, string item, string? description = null) => Add(name, Object(description,
        ("start", Integer("Offset of the first item, as requested (echoed even when negative).")),
        ("limit", Integer("Items per page, as requested (at most Rest:MaxLimit).")),
        ("count", Integer("Items in data.")),
        ("data", ArrayOf(Ref(item))),
        ("total?", Integer("Items in all pages; left out with total=false."))));

    private void AddAccount()
    {
        Add("Identity", Object("The account the token belongs to, in the shape of Copernica's identity call.",
            ("id", Id()),
            ("name", String()),
            ("description", String()),
            ("company", String()),
            ("customer", Object(("id", Id()), ("name", String()), ("isPartner", Boolean()))),
            ("usedBy", ArrayOf(String())),
            ("license", Object(("id", Id()), ("isTrial", Boolean())))));

        Add("Consumption", Object("What the account used in the period, with Copernica's keys (Tidings counts emails and API calls; the rest are 0).",
            ("emails", Integer("Messages the account's mailings sent (attempted).")),
            ("texts", Integer("Always 0.")),
            ("fax", Integer("Always 0.")),
            ("webpages", Integer("Always 0.")),
            ("apicalls", Integer("Authenticated API calls of the account, this one included.")),
            ("litmustests", Integer("Always 0.")),
            ("twofiftyoktests", Integer("Always 0."))));

        Add("Notice", Object("Something the server wants the account to know.",
            ("ID", Id()),
            ("kind", String("What it is about, e.g. webhook-disabled.")),
            ("subject", NullableId("The id of what it is about (a webhook id), or null.")),
            ("message", String()),
            ("created", Time())));
        AddList("NoticeList", "Notice");

        Add("AuditEntry", Object("A change made in the account: who made it, what, and when (Tidings extension).",
            ("ID", Id()),
            ("time", Time("When the change was made.")),
            ("actorKind", Enum("How the change came in.", Tidings.Audit.AuditActorKinds.All)),
            ("actor", String("Who made it: a user's e-mail address and id, or an access token's name and id (never its value).")),
            ("action", String("What was done: created, changed, deleted, validated, enabled, disabled, replayed, retried, rotated, imported, removed, revoked, role-changed or password-reset.")),
            ("targetType", Enum("What it was done to.", Tidings.Audit.AuditTargets.All)),
            ("targetId", Id("The id of what it was done to (of the webhook for a webhook-secret entry).")),
            ("detail", String("A few words on the change (a webhook's handler, the keys a change set); never a secret."))));
        AddList("AuditList", "AuditEntry");
    }
}
