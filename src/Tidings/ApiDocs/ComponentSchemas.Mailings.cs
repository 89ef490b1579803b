using Microsoft.OpenApi;
using Tidings.Mailings;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Mailings and their destinations (Mailings/MailingEndpoints.cs), log files (LogFiles/LogFileEndpoints.cs).</summary>
internal sealed partial class ComponentSchemas
{
    private void AddMailings()
    {
        var fromAddress = Object(("name", String()), ("email", String()));
        Add("Mailing", Object(
            ("id", Id()),
            ("timestamp", Time("When it was created.")),
            ("template", Id()),
            ("subject", String()),
            ("from_address", fromAddress),
            ("destinations", Integer("Messages created so far.")),
            ("type", Enum("mass", "individual")),
            ("target", Object(
                ("type", Enum("The kind of target.", MailingStore.TargetTypes)),
                ("sources", ArrayOf(Object(("id", Id()), ("type", Enum("The kind of target.", MailingStore.TargetTypes))))))),
            ("tags", ArrayOf(String())),
            ("senderdomain", String()),
            ("status", Enum("preparing while destinations are still being created, then sent.", ["preparing", "sent"])),
            ("links", ArrayOf(String(), "The mailing's links; a destination's tracked link number n leads to links[n]."))));
        AddList("MailingList", "Mailing");

        Add("Destination", Object("One message of a mailing, with what the mail transfer agent needs to send it.",
            ("ID", Id()),
            ("messageID", String("The message id (16 lower-case letters and digits) that results refer to.")),
            ("timestampsent", Time()),
            ("profile", Id()),
            ("subprofile", NullableId()),
            ("mailing", Id()),
            ("email", String()),
            ("tracking", Object(
                ("open", String("URL of the open pixel.")),
                ("unsubscribe", String("URL of the unsubscribe page (and RFC 8058 one-click POST target).")),
                ("links", ArrayOf(Object(("url", String("The link as given.")), ("tracked", String("The click-tracking URL that redirects to it.")))))))));
        AddList("DestinationList", "Destination");

        Add("MailingInput", Object("A mailing to a target.",
            ("target", AnyValue("Id (or name, for a database or collection) of the target.")),
            ("targettype?", Enum("The kind of target.", MailingStore.TargetTypes)),
            ("template?", AnyValue("Template id (a number).")),
            ("subject?", String()),
            ("from_address?", Object(("name?", String()), ("email?", String()))),
            ("senderdomain?", String()),
            ("tags?", OneOf("Tags, as a list or as one string separated by ;.", ArrayOf(String()), String())),
            ("links?", ArrayOf(String(), "Absolute http or https URLs; each gets a click-tracking URL per destination (at most Mailings:MaxLinks).")),
            ("type?", Enum("mass (default) or individual.", ["mass", "individual"]))));

        Add("OneClickUnsubscribe", Object("The form a mail client posts for RFC 8058 one-click unsubscribe.",
            ("List-Unsubscribe?", Enum("One-Click"))));

        Add("LogFileNames", ArrayOf(String(), "Dates (YYYY-MM-DD, oldest first) without parameters; file names (<type>.<YYYY-MM-DD>.log) with date or type."));
        Add("LogFileRecords", ArrayOf(MapOf(new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Integer }),
            "The file's rows, each an object of its columns in Copernica's order; integer columns are numbers."));
    }
}
