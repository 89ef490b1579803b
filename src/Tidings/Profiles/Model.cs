namespace Tidings.Profiles;

/// <summary>A database: a set of profiles with the same fields, interests and collections.</summary>
internal sealed class DatabaseRecord
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public bool Archived { get; set; }
    public long Created { get; set; }
    public string UnsubscribeBehavior { get; set; } = "nothing";
    public string UnsubscribeFields { get; set; } = "{}";
    public string Intentions { get; set; } = "{}";

    public string ProfileTable => ProfileTables.ForDatabase(Id);
}

/// <summary>A collection: subprofiles of a database's profiles, with their own fields.</summary>
internal sealed class CollectionRecord
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long DatabaseId { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public long Created { get; set; }
    public string UnsubscribeBehavior { get; set; } = "nothing";
    public string UnsubscribeFields { get; set; } = "{}";
    public string Intentions { get; set; } = "{}";

    public string SubprofileTable => ProfileTables.ForCollection(Id);
}

/// <summary>A field of a database (<see cref="CollectionId"/> 0) or of a collection; its values live in column f&lt;id&gt;.</summary>
internal sealed class FieldDefinition
{
    public long Id { get; set; }
    public long DatabaseId { get; set; }
    public long CollectionId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "text";
    public string DefaultValue { get; set; } = "";
    public bool Displayed { get; set; }
    public bool Ordered { get; set; }
    public long Length { get; set; } = 255;
    public long Textlines { get; set; } = 1;
    public bool Hidden { get; set; }
    public bool Indexed { get; set; }
    public bool Locked { get; set; }

    public string Column => "f" + Id;
}

/// <summary>An interest (a yes/no tag) a profile of a database can have.</summary>
internal sealed class InterestRecord
{
    public long Id { get; set; }
    public long DatabaseId { get; set; }
    public string Name { get; set; } = "";
    public string Group { get; set; } = "";
}

/// <summary>The fields (in order) of a database or a collection, with name lookups.</summary>
internal sealed class FieldSet(IReadOnlyList<FieldDefinition> fields)
{
    private readonly Dictionary<string, FieldDefinition> _byName = fields
        .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<FieldDefinition> All { get; } = fields;

    public FieldDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Names of the per-database and per-collection value tables.</summary>
internal static class ProfileTables
{
    public static string ForDatabase(long databaseId) => $"database_{databaseId}_profiles";

    public static string ForCollection(long collectionId) => $"collection_{collectionId}_subprofiles";
}
