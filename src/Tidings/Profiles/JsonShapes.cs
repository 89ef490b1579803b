using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>Copernica's JSON shapes for the marketing data: ids as strings, field values as strings, local timestamps.</summary>
internal static class JsonShapes
{
    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    internal static void Database(Utf8JsonWriter w, DatabaseDetails details, CopernicaTime time)
    {
        var d = details.Database;
        w.WriteStartObject();
        w.WriteString("ID", Id(d.Id));
        w.WriteString("name", d.Name);
        w.WriteString("description", d.Description);
        w.WriteBoolean("archived", d.Archived);
        w.WriteString("created", time.FormatMs(d.Created));
        Paging.WriteWhole(w, "fields", details.Fields.All, Field);
        Paging.WriteWhole(w, "interests", details.Interests, Interest);
        Paging.WriteWhole(w, "collections", details.Collections, Collection);
        WriteRaw(w, "intentions", d.Intentions);
        w.WriteEndObject();
    }

    public static void Field(Utf8JsonWriter w, FieldDefinition f)
    {
        w.WriteStartObject();
        w.WriteString("ID", Id(f.Id));
        w.WriteString("name", f.Name);
        w.WriteString("type", f.Type);
        w.WriteString("value", f.DefaultValue);
        w.WriteBoolean("displayed", f.Displayed);
        w.WriteBoolean("ordered", f.Ordered);
        w.WriteString("length", Id(f.Length));
        w.WriteString("textlines", Id(f.Textlines));
        w.WriteBoolean("hidden", f.Hidden);
        w.WriteBoolean("index", f.Indexed);
        w.WriteEndObject();
    }

    public static void Interest(Utf8JsonWriter w, InterestRecord i)
    {
        w.WriteStartObject();
        w.WriteString("ID", Id(i.Id));
        w.WriteString("name", i.Name);
        w.WriteString("group", i.Group);
        w.WriteEndObject();
    }

    internal static void Collection(Utf8JsonWriter w, CollectionDetails details)
    {
        var (c, fields) = (details.Collection, details.Fields);
        w.WriteStartObject();
        w.WriteString("ID", Id(c.Id));
        w.WriteString("name", c.Name);
        w.WriteString("database", Id(c.DatabaseId));
        Paging.WriteWhole(w, "fields", fields.All, Field);
        WriteRaw(w, "intentions", c.Intentions);
        w.WriteEndObject();
    }

    public static void Profile(Utf8JsonWriter w, ValueTable table, ValueRow row, JsonArray? interests, long databaseId, bool dataOnly, CopernicaTime time)
    {
        w.WriteStartObject();
        w.WriteString("ID", Id(row.Id));
        Fields(w, "fields", table, row);
        w.WriteStartArray("interests");
        if (interests is not null) foreach (var i in interests) w.WriteStringValue(i!.GetValue<string>());
        w.WriteEndArray();
        if (!dataOnly)
        {
            w.WriteString("database", Id(databaseId));
            w.WriteString("secret", row.Secret);
            w.WriteString("created", time.FormatMs(row.Created));
        }

        w.WriteString("modified", time.FormatMs(row.Modified));
        if (!dataOnly) Removed(w, row, time);
        w.WriteEndObject();
    }

    public static void Subprofile(Utf8JsonWriter w, ValueTable table, ValueRow row, long collectionId, bool dataOnly, CopernicaTime time)
    {
        w.WriteStartObject();
        w.WriteString("ID", Id(row.Id));
        if (!dataOnly) w.WriteString("secret", row.Secret);
        Fields(w, "fields", table, row);
        w.WriteString("profile", Id(row.ProfileId));
        w.WriteString("collection", Id(collectionId));
        if (!dataOnly) w.WriteString("created", time.FormatMs(row.Created));
        w.WriteString("modified", time.FormatMs(row.Modified));
        if (!dataOnly) Removed(w, row, time);
        w.WriteEndObject();
    }

    /// <summary>A flat name → value object (<c>GET profile/{id}/fields</c>); removed rows show every value as "".</summary>
    public static void Fields(Utf8JsonWriter w, string? name, ValueTable table, ValueRow row)
    {
        if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
        for (var i = 0; i < table.Fields.All.Count; i++) w.WriteString(table.Fields.All[i].Name, row.IsRemoved ? "" : row.Values[i]);
        w.WriteEndObject();
    }

    private static void Removed(Utf8JsonWriter w, ValueRow row, CopernicaTime time)
    {
        if (row.Removed is { } removed) w.WriteString("removed", time.FormatMs(removed)); else w.WriteBoolean("removed", false);
    }

    public static void Unsubscribe(Utf8JsonWriter w, string behavior, string fieldsJson)
    {
        w.WriteStartObject();
        w.WriteString("behavior", behavior);
        WriteRaw(w, "fields", fieldsJson);
        w.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter w, string name, string json)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(string.IsNullOrWhiteSpace(json) ? "{}" : json);
    }
}
