using System.Text.Json.Serialization;
using Tidings.Rest;

namespace Tidings.Profiles;

/// <summary>A database as Copernica answers it, with its fields, interests and collections as whole nested lists.</summary>
internal sealed record DatabaseAnswer(
    [property: JsonPropertyName("ID")] string Id, string Name, string Description, bool Archived, string Created,
    Page<FieldAnswer> Fields, Page<InterestAnswer> Interests, Page<CollectionAnswer> Collections, RawJson Intentions)
{
    public static DatabaseAnswer From(DatabaseDetails details, CopernicaTime time)
    {
        var d = details.Database;
        return new DatabaseAnswer(
            RestIds.Text(d.Id), d.Name, d.Description, d.Archived, time.FormatMs(d.Created),
            Page<FieldAnswer>.Whole(details.Fields.All.Select(FieldAnswer.From).ToList()),
            Page<InterestAnswer>.Whole(details.Interests.Select(InterestAnswer.From).ToList()),
            Page<CollectionAnswer>.Whole(details.Collections.Select(CollectionAnswer.From).ToList()),
            new RawJson(d.Intentions));
    }
}

/// <summary>A collection with its fields; <c>database</c> is the id of the database it belongs to.</summary>
internal sealed record CollectionAnswer(
    [property: JsonPropertyName("ID")] string Id, string Name, string Database, Page<FieldAnswer> Fields, RawJson Intentions)
{
    public static CollectionAnswer From(CollectionDetails details)
    {
        var c = details.Collection;
        return new CollectionAnswer(
            RestIds.Text(c.Id), c.Name, RestIds.Text(c.DatabaseId), Page<FieldAnswer>.Whole(details.Fields.All.Select(FieldAnswer.From).ToList()), new RawJson(c.Intentions));
    }
}

/// <summary>A field of a database or collection; <c>length</c> and <c>textlines</c> are strings, as Copernica sends them.</summary>
internal sealed record FieldAnswer(
    [property: JsonPropertyName("ID")] string Id, string Name, string Type, string Value, bool Displayed, bool Ordered,
    string Length, string Textlines, bool Hidden, bool Index)
{
    public static FieldAnswer From(FieldDefinition f) => new(
        RestIds.Text(f.Id), f.Name, f.Type, f.DefaultValue, f.Displayed, f.Ordered, RestIds.Text(f.Length), RestIds.Text(f.Textlines), f.Hidden, f.Indexed);
}

/// <summary>An interest of a database.</summary>
internal sealed record InterestAnswer([property: JsonPropertyName("ID")] string Id, string Name, string Group)
{
    public static InterestAnswer From(InterestRecord i) => new(RestIds.Text(i.Id), i.Name, i.Group);
}

/// <summary>The unsubscribe behaviour of a database or collection; <c>fields</c> is the stored JSON, written as given.</summary>
internal sealed record UnsubscribeAnswer(string Behavior, RawJson Fields)
{
    public static UnsubscribeAnswer Of(string behavior, string fieldsJson) => new(behavior, new RawJson(fieldsJson));
}
