using Microsoft.OpenApi;
using Tidings.Profiles;
using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Databases, fields, interests, collections, profiles and subprofiles (Profiles/DatabaseAnswers.cs and ProfileAnswers.cs), and their inputs.</summary>
internal sealed partial class ComponentSchemas
{
    private void AddMarketingData()
    {
        Add("Field", Object("A field of a database or collection.",
            ("ID", Id()),
            ("name", String()),
            ("type", Enum("The field type.", FieldTypes.All)),
            ("value", String("The default value.")),
            ("displayed", Boolean()),
            ("ordered", Boolean()),
            ("length", Id("Maximum length of a text value, as a string.")),
            ("textlines", Id("Lines of the input box, as a string.")),
            ("hidden", Boolean()),
            ("index", Boolean("Whether the field is indexed for filters and ordering."))));
        AddList("FieldList", "Field");

        Add("Interest", Object(("ID", Id()), ("name", String()), ("group", String())));
        AddList("InterestList", "Interest");

        Add("Intentions", Object("Communication intentions; keys that were never set are left out.",
            ("email?", Boolean()), ("sms?", Boolean()), ("fax?", Boolean()), ("pdf?", Boolean())));

        Add("Collection", Object(
            ("ID", Id()),
            ("name", String()),
            ("database", Id("The database the collection belongs to.")),
            ("fields", Ref("FieldList")),
            ("intentions", Ref("Intentions"))));
        AddList("CollectionList", "Collection");

        Add("Database", Object("A database with its fields, interests and collections (each a whole list).",
            ("ID", Id()),
            ("name", String()),
            ("description", String()),
            ("archived", Boolean()),
            ("created", Time()),
            ("fields", Ref("FieldList")),
            ("interests", Ref("InterestList")),
            ("collections", Ref("CollectionList")),
            ("intentions", Ref("Intentions"))));
        AddList("DatabaseList", "Database");

        Add("UnsubscribeBehavior", Object("What happens to a profile (or subprofile) that unsubscribes.",
            ("behavior", Enum("nothing, remove it, or update its fields with the values in fields.", ["nothing", "remove", "update"])),
            ("fields", MapOf(AnyValue(), "Field values set by the update behaviour."))));

        Add("FieldValues", MapOf(String(), "Field name → value; every value is a string (a removed entity shows every value as \"\")."));

        var removed = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Boolean,
            Description = "false while it exists; the time it was removed (YYYY-MM-DD HH:MM:SS) once removed.",
        };
        Add("Profile", Object("A profile. With dataonly=true only ID, fields, interests and modified are sent.",
            ("ID", Id()),
            ("fields", Ref("FieldValues")),
            ("interests", ArrayOf(String(), "Names of the profile's interests.")),
            ("database?", Id()),
            ("secret?", String("The profile's secret code.")),
            ("created?", Time()),
            ("modified", Time()),
            ("removed?", removed)));
        AddList("ProfileList", "Profile");

        Add("Subprofile", Object("A subprofile. With dataonly=true secret, created and removed are left out.",
            ("ID", Id()),
            ("secret?", String("The subprofile's secret code.")),
            ("fields", Ref("FieldValues")),
            ("profile", Id("The profile it belongs to.")),
            ("collection", Id("The collection it belongs to.")),
            ("created?", Time()),
            ("modified", Time()),
            ("removed?", removed)));
        AddList("SubprofileList", "Subprofile");

        Add("IdList", ArrayOf(Id(), "Every id, as a bare JSON array of strings (not wrapped in a list)."));
        Add("ProfileInterests", AnyOf("Names (default), ids (return=ids) or interest objects (return=objects).",
            ArrayOf(String()), ArrayOf(Ref("Interest"))));

        AddMarketingDataInputs();
    }

    private void AddMarketingDataInputs()
    {
        Add("DatabaseInput", Object("Keys that are left out keep their value.",
            ("name?", String()), ("description?", String()), ("archived?", Flag())));
        Add("CollectionInput", Object("Keys that are left out keep their value.", ("name?", String()), ("description?", String())));
        Add("InterestInput", Object("Keys that are left out keep their value.", ("name?", String()), ("group?", String())));
        Add("IntentionsInput", Object("Keys that are left out keep their value.",
            ("email?", Flag()), ("sms?", Flag()), ("fax?", Flag()), ("pdf?", Flag())));
        Add("UnsubscribeBehaviorInput", Object(
            ("behavior?", Enum("nothing, remove or update.", ["nothing", "remove", "update"])),
            ("fields?", Ref("FieldValuesInput"))));
        Add("FieldInput", Object("A field definition; on a change, keys that are left out keep their value and a new type converts every stored value.",
            ("name?", String()),
            ("type?", Enum("The field type.", FieldTypes.All)),
            ("value?", AnyValue("The default value.")),
            ("displayed?", Flag()),
            ("ordered?", Flag()),
            ("length?", Integer("Maximum length of a text value.")),
            ("textlines?", Integer()),
            ("hidden?", Flag()),
            ("index?", Flag("Index the field for filters and ordering.")),
            ("lock?", Flag())));

        Add("FieldValuesInput", MapOf(AnyValue(), "Field name → value. Names are matched case-insensitively; unknown names are ignored."));
        Add("InterestsInput", OneOf("A list of interest names, or name → 1 (has it) / 0 (has it not).",
            ArrayOf(String()), MapOf(AnyValue())));
        var wrapped = MapOf(AnyValue(), "Interest name → 1 / 0, or {\"interests\": …} holding either form.");
        wrapped.Properties = new Dictionary<string, IOpenApiSchema> { ["interests"] = Ref("InterestsInput") };
        Add("ProfileInterestsInput", OneOf("Interests to add (POST) or the whole new set (PUT).", ArrayOf(String()), wrapped));
        Add("ProfileInput", Object(("fields?", Ref("FieldValuesInput")), ("interests?", Ref("InterestsInput"))));
        Add("ProfileUpdate", Object("Keys that are left out keep their value.",
            ("fields?", Ref("FieldValuesInput")), ("interests?", Ref("InterestsInput")), ("secret?", String("A new secret code, taken as given."))));
        Add("ProfilesDelete", OneOf("The profiles to remove; all or nothing.",
            Object(("profiles", ArrayOf(AnyValue("A profile id.")))),
            ArrayOf(AnyValue("A profile id."))));

        var subprofileFields = MapOf(AnyValue(), "Field name → value, flat; {\"fields\":{…}} is accepted too.");
        subprofileFields.Properties = new Dictionary<string, IOpenApiSchema> { ["fields"] = Ref("FieldValuesInput") };
        Add("SubprofileFieldsInput", subprofileFields);
        Add("SubprofileUpdate", Object("Keys that are left out keep their value.",
            ("fields?", Ref("FieldValuesInput")), ("secret?", String("A new secret code, taken as given."))));
    }
}
