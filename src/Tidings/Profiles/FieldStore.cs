using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>What a client may set on a field (<c>POST …/fields</c>, <c>PUT …/field/{id}</c>); null means "leave as is".</summary>
internal sealed record FieldSpec(string? Name, string? Type, string? Value, bool? Displayed, bool? Ordered, long? Length, long? Textlines, bool? Hidden, bool? Index, bool? Lock)
{
    public static FieldSpec From(JsonObject body) => new(
        Text(body["name"]), Text(body["type"])?.Trim().ToLowerInvariant(), Text(body["value"]), Bool(body["displayed"]), Bool(body["ordered"]),
        Number(body["length"]), Number(body["textlines"]), Bool(body["hidden"]), Bool(body["index"]), Bool(body["lock"]));

    private static string? Text(JsonNode? node) => node is null ? null : FieldTypes.ToScalarText(node) ?? throw new RequestRejectedException(CopernicaErrors.InvalidData);

    private static bool? Bool(JsonNode? node) => node is null ? null : QueryValues.IsTrue(FieldTypes.ToScalarText(node));

    private static long? Number(JsonNode? node) => node is null ? null : QueryValues.PhpInt(FieldTypes.ToScalarText(node));
}

/// <summary>
/// Fields of databases and collections. A field is a typed column <c>f&lt;id&gt;</c> of its owner's value table, so
/// adding, retyping, indexing and removing fields are schema changes, done in the same transaction as the metadata.
/// </summary>
internal sealed class FieldStore(IStorage storage, CopernicaTime time, FieldCache cache)
{
    private const string Columns =
        "id, database_id AS DatabaseId, collection_id AS CollectionId, name, type, default_value AS DefaultValue, displayed, ordered, length, textlines, hidden, indexed, locked";

    public async Task<FieldSet> ListAsync(long databaseId, long collectionId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await ListAsync(c, null, databaseId, collectionId);
    }

    internal static async Task<FieldSet> ListAsync(DbConnection c, DbTransaction? tx, long databaseId, long collectionId) =>
        new((await c.QueryAsync<FieldDefinition>(
            $"SELECT {Columns} FROM fields WHERE database_id = @databaseId AND collection_id = @collectionId ORDER BY id",
            new { databaseId, collectionId }, tx)).ToList());

    public async Task<FieldDefinition> RequireAsync(long databaseId, long collectionId, string idOrName, CancellationToken ct)
    {
        var fields = await ListAsync(databaseId, collectionId, ct);
        var field = RestIds.TryParse(idOrName, out var id) ? fields.All.FirstOrDefault(f => f.Id == id) : fields.Find(idOrName);
        return field ?? throw new RequestRejectedException(CopernicaErrors.NoField);
    }

    public Task<long> CreateAsync(long accountId, long databaseId, long collectionId, FieldSpec spec, CancellationToken ct)
    {
        var name = spec.Name ?? throw new RequestRejectedException("Invalid field name: a name is required");
        ValidateFieldName(name);
        var type = spec.Type ?? "text";
        if (!FieldTypes.IsKnown(type)) throw new RequestRejectedException($"Invalid field type '{type}'; expected one of {string.Join(", ", FieldTypes.All)}");
        var table = collectionId == 0 ? ProfileTables.ForDatabase(databaseId) : ProfileTables.ForCollection(collectionId);
        return cache.ChangeAsync(() => storage.WriteAsync(async w =>
        {
            var existing = await ListAsync(w.Connection, w.Transaction, databaseId, collectionId);
            if (existing.Find(name) is not null) throw new RequestRejectedException($"A field with the name '{name}' already exists");
            if (collectionId == 0 && FieldTypes.Unique.Contains(type) && existing.All.Any(f => f.Type == type))
            {
                throw new RequestRejectedException($"A database can have only one field of type '{type}'");
            }

            var field = new FieldDefinition
            {
                DatabaseId = databaseId, CollectionId = collectionId, Name = name.Trim(), Type = type, DefaultValue = spec.Value ?? "",
                Displayed = spec.Displayed ?? false, Ordered = spec.Ordered ?? false, Length = spec.Length ?? 255, Textlines = spec.Textlines ?? 1,
                Hidden = spec.Hidden ?? false, Indexed = spec.Index ?? false, Locked = spec.Lock ?? false,
            };
            field.Id = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO fields (account_id, database_id, collection_id, name, name_key, type, default_value, displayed, ordered, length, textlines, hidden, indexed, locked) " +
                "VALUES (@accountId, @DatabaseId, @CollectionId, @Name, @key, @Type, @DefaultValue, @Displayed, @Ordered, @Length, @Textlines, @Hidden, @Indexed, @Locked) RETURNING id",
                new { accountId, field.DatabaseId, field.CollectionId, field.Name, key = DatabaseStore.Key(field.Name), field.Type, field.DefaultValue, Displayed = B(field.Displayed), Ordered = B(field.Ordered), field.Length, field.Textlines, Hidden = B(field.Hidden), Indexed = B(field.Indexed), Locked = B(field.Locked) },
                w.Transaction);
            await AddColumnAsync(w, table, field.Column, type, FieldTypes.DefaultFor(field, time));
            if (field.Indexed) await CreateIndexAsync(w, table, field.Column, type);
            return field.Id;
        }, ct).OrNameTaken(storage.Dialect, $"A field with the name '{name}' already exists"));
    }

    public Task UpdateAsync(FieldDefinition field, FieldSpec spec, CancellationToken ct)
    {
        if (spec.Name is not null) ValidateFieldName(spec.Name);
        var newType = spec.Type ?? field.Type;
        if (!FieldTypes.IsKnown(newType)) throw new RequestRejectedException($"Invalid field type '{newType}'; expected one of {string.Join(", ", FieldTypes.All)}");
        var table = field.CollectionId == 0 ? ProfileTables.ForDatabase(field.DatabaseId) : ProfileTables.ForCollection(field.CollectionId);
        return cache.ChangeAsync(() => storage.WriteAsync(async w =>
        {
            // Locks the row and reads the field as it is now: a concurrent change or delete may have committed since it was read.
            if (await w.Connection.ExecuteAsync("UPDATE fields SET id = id WHERE id = @Id", new { field.Id }, w.Transaction) == 0) throw new RequestRejectedException(CopernicaErrors.NoField);
            var siblings = await ListAsync(w.Connection, w.Transaction, field.DatabaseId, field.CollectionId);
            field = siblings.All.Single(f => f.Id == field.Id);
            if (spec.Name is not null && siblings.Find(spec.Name) is { } clash && clash.Id != field.Id)
            {
                throw new RequestRejectedException($"A field with the name '{spec.Name}' already exists");
            }

            if (field.CollectionId == 0 && newType != field.Type && FieldTypes.Unique.Contains(newType) && siblings.All.Any(f => f.Type == newType && f.Id != field.Id))
            {
                throw new RequestRejectedException($"A database can have only one field of type '{newType}'");
            }

            var updated = new FieldDefinition
            {
                Id = field.Id, DatabaseId = field.DatabaseId, CollectionId = field.CollectionId, Name = spec.Name?.Trim() ?? field.Name, Type = newType,
                DefaultValue = spec.Value ?? field.DefaultValue, Displayed = spec.Displayed ?? field.Displayed, Ordered = spec.Ordered ?? field.Ordered,
                Length = spec.Length ?? field.Length, Textlines = spec.Textlines ?? field.Textlines, Hidden = spec.Hidden ?? field.Hidden,
                Indexed = spec.Index ?? field.Indexed, Locked = spec.Lock ?? field.Locked,
            };
            await w.Connection.ExecuteAsync(
                "UPDATE fields SET name = @Name, name_key = @key, type = @Type, default_value = @DefaultValue, displayed = @Displayed, ordered = @Ordered, length = @Length, " +
                "textlines = @Textlines, hidden = @Hidden, indexed = @Indexed, locked = @Locked WHERE id = @Id",
                new { updated.Name, key = DatabaseStore.Key(updated.Name), updated.Type, updated.DefaultValue, Displayed = B(updated.Displayed), Ordered = B(updated.Ordered), updated.Length, updated.Textlines, Hidden = B(updated.Hidden), Indexed = B(updated.Indexed), Locked = B(updated.Locked), updated.Id },
                w.Transaction);

            if (newType != field.Type)
            {
                if (field.Indexed) await DropIndexAsync(w, table, field.Column);
                await RetypeColumnAsync(w, table, updated);
                if (updated.Indexed) await CreateIndexAsync(w, table, field.Column, updated.Type);
            }
            else if (updated.Indexed != field.Indexed)
            {
                if (updated.Indexed) await CreateIndexAsync(w, table, field.Column, updated.Type); else await DropIndexAsync(w, table, field.Column);
            }

            return 0;
        }, ct).OrNameTaken(storage.Dialect, $"A field with the name '{spec.Name}' already exists"));
    }

    public Task DeleteAsync(FieldDefinition field, CancellationToken ct)
    {
        var table = field.CollectionId == 0 ? ProfileTables.ForDatabase(field.DatabaseId) : ProfileTables.ForCollection(field.CollectionId);
        return cache.ChangeAsync(() => storage.WriteAsync(async w =>
        {
            // The row first, as it is now: a concurrent delete of the same field may have committed since it was read.
            var indexed = await w.Connection.QuerySingleOrDefaultAsync<long?>("DELETE FROM fields WHERE id = @Id RETURNING indexed", new { field.Id }, w.Transaction)
                ?? throw new RequestRejectedException(CopernicaErrors.NoField);
            if (indexed != 0) await DropIndexAsync(w, table, field.Column);
            await w.Connection.ExecuteAsync($"ALTER TABLE {table} DROP COLUMN {field.Column}", transaction: w.Transaction);
            return 1;
        }, ct));
    }

    private string ColumnType(string type) => FieldTypes.IsInteger(type) ? storage.Dialect.IntegerType
        : FieldTypes.IsFloat(type) ? storage.Dialect.FloatType
        : storage.Dialect.CaseInsensitiveTextType;

    private Task AddColumnAsync(WriteContext w, string table, string column, string type, string defaultValue)
    {
        var literal = FieldTypes.IsNumeric(type) ? Convert.ToString(FieldTypes.ToColumnValue(type, defaultValue), CultureInfo.InvariantCulture) : "'" + defaultValue.Replace("'", "''", StringComparison.Ordinal) + "'";
        return w.Connection.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN {column} {ColumnType(type)} NOT NULL DEFAULT {literal}", transaction: w.Transaction);
    }

    /// <summary>Changes a column's type by copying every value, normalised for the new type, into a fresh column.</summary>
    private async Task RetypeColumnAsync(WriteContext w, string table, FieldDefinition field)
    {
        var temporary = field.Column + "_retype";
        await AddColumnAsync(w, table, temporary, field.Type, FieldTypes.DefaultFor(field, time));
        var rows = (await w.Connection.QueryAsync<(long Id, object? Value)>($"SELECT id, {field.Column} FROM {table}", transaction: w.Transaction)).ToList();
        foreach (var (id, value) in rows)
        {
            var normalized = FieldTypes.Normalize(field.Type, field.DefaultValue, FieldTypes.Output(value), time);
            await w.Connection.ExecuteAsync($"UPDATE {table} SET {temporary} = @v WHERE id = @id", new { v = FieldTypes.ToColumnValue(field.Type, normalized), id }, w.Transaction);
        }

        await w.Connection.ExecuteAsync($"ALTER TABLE {table} DROP COLUMN {field.Column}", transaction: w.Transaction);
        await w.Connection.ExecuteAsync($"ALTER TABLE {table} RENAME COLUMN {temporary} TO {field.Column}", transaction: w.Transaction);
    }

    /// <summary>
    /// Indexes what filters and orderby use (the column itself for numbers, the dialect's text key for text) together
    /// with <c>removed</c>: every list filters on <c>removed IS NULL</c>, so an equality filter is answered from the
    /// index alone, in id order, and its COUNT for <c>total</c> never visits the table.
    /// </summary>
    private Task CreateIndexAsync(WriteContext w, string table, string column, string type)
    {
        var key = FieldTypes.IsNumeric(type) ? column : storage.Dialect.TextKey(column);
        return w.Connection.ExecuteAsync($"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table}({key}, removed)", transaction: w.Transaction);
    }

    private static Task DropIndexAsync(WriteContext w, string table, string column) =>
        w.Connection.ExecuteAsync($"DROP INDEX IF EXISTS ix_{table}_{column}", transaction: w.Transaction);

    private static int B(bool value) => value ? 1 : 0;

    private static void ValidateFieldName(string name)
    {
        DatabaseStore.ValidateName(name, "field");
        if (name.IndexOfAny(['=', '<', '>', '!', '~', '[', ']', '&']) >= 0)
        {
            throw new RequestRejectedException("Invalid field name: a field name cannot contain = < > ! ~ [ ] or &");
        }

        if (name.Trim().ToLowerInvariant() is "id" or "code")
        {
            throw new RequestRejectedException($"Invalid field name: '{name}' is reserved");
        }
    }
}
