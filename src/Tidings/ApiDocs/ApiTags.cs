using Microsoft.OpenApi;

namespace Tidings.ApiDocs;

/// <summary>The document's tags (the endpoints' <c>WithTags</c> groups, and Tracking), in reading order, with what each holds.</summary>
internal static class ApiTags
{
    private static readonly (string Name, string Description)[] Known =
    [
        ("Account", "The account the access token belongs to."),
        ("Databases", "Copernica's databases: profiles live in one, with its fields, interests and collections."),
        ("Fields", "The fields of a database or of a collection; a field is a typed column of their profiles or subprofiles."),
        ("Interests", "A database's interests (tags a profile has or has not), in groups."),
        ("Collections", "A database's collections: subprofiles of its profiles, with fields of their own."),
        ("Profiles", "Profiles of a database: field values and interests."),
        ("Subprofiles", "Subprofiles: entries of a collection, each belonging to a profile."),
        ("Mailings", "Marketing Suite mailings and their destinations (one message each)."),
        ("Statistics", "Result counts and event lists of mailings and messages."),
        ("Tracking", "The public links in a message: open pixel, click redirect and unsubscribe page. No access token."),
        ("Mail transfer agent", "Delivery results and bounce messages reported by the mail transfer agent (Tidings)."),
        ("Log files", "Copernica's log files: views of the event journal, one per type per day."),
        ("Webhooks", "Webhooks in Copernica's shape, with Tidings' own keys, secrets and signing keys."),
        ("Webhook domains", "Domains an account proves it owns, so that its webhooks may deliver there (Tidings)."),
        ("Webhook delivery", "How a webhook's deliveries stand: attempts, retries, replays and test calls (Tidings)."),
        ("Audit log", "Who changed what in the account and when: webhooks, domains, secrets, replays, tokens and users (Tidings)."),
    ];

    public static HashSet<OpenApiTag> For(OpenApiDocument document)
    {
        var used = (document.Paths ?? []).Values
            .SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Reference.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var tags = new HashSet<OpenApiTag>();
        foreach (var (name, description) in Known.Where(k => used.Contains(k.Name))) tags.Add(new OpenApiTag { Name = name, Description = description });
        foreach (var name in used.Where(u => Known.All(k => k.Name != u)).Order(StringComparer.Ordinal)) tags.Add(new OpenApiTag { Name = name });
        return tags;
    }
}
