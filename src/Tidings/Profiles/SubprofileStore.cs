using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>A subprofile as read, with its collection and the table it lives in.</summary>
internal sealed record SubprofileView(DatabaseRecord Database, CollectionRecord Collection, ValueTable Table, ValueRow Row);

/// <summary>What a bulk update did: the matched subprofiles as they are after it (or the one created), how many changed.</summary>
internal sealed record SubprofileBulkUpdate(ValueTable Table, IReadOnlyList<ValueRow> Rows, int Updated, long? Created);

/// <summary>A page of subprofiles.</summary>
internal sealed record SubprofilePage(CollectionRecord Collection, ValueTable Table, IReadOnlyList<ValueRow> Rows, long? Total);

/// <summary>Subprofiles of collections, with the same change capture as profiles.</summary>
internal sealed class SubprofileStore(IStorage storage, CopernicaTime time)
{
    private const string CollectionColumns =
        "id, account_id AS AccountId, database_id AS DatabaseId, name, description, created, unsubscribe_behavior AS UnsubscribeBehavior, unsubscribe_fields AS UnsubscribeFields, intentions";

    internal static async Task<ValueTable> TableAsync(DbConnection c, DbTransaction? tx, CollectionRecord collection) =>
        new(collection.SubprofileTable, await FieldStore.ListAsync(c, tx, collection.DatabaseId, collection.Id), true);

    /// <summary>Creates a subprofile of a (not removed) profile in a collection of the profile's database.</summary>
    public Task<long> CreateAsync(ProfileView profile, CollectionRecord collection, JsonObject? fields, string source, CancellationToken ct)
    {
        if (collection.DatabaseId != profile.Database.Id || profile.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.SubprofileNotCreated);
        return storage.WriteAsync(w => CreateInTransactionAsync(w, profile.Database, collection, profile.Row.Id, fields, source), ct);
    }

    private async Task<long> CreateInTransactionAsync(WriteContext w, DatabaseRecord database, CollectionRecord collection, long profileId, JsonObject? fields, string source)
    {
        var table = await TableAsync(w.Connection, w.Transaction, collection);
        var (values, parameters) = table.Apply(table.Defaults(time), fields, time);
        var now = time.NowMs();
        var id = await w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO subprofiles (account_id, collection_id, profile_id) VALUES (@AccountId, @Id, @profileId) RETURNING id",
            new { collection.AccountId, collection.Id, profileId }, w.Transaction);
        var row = new ValueRow(id, profileId, ProfileSecret.New(), now, now, null, values);
        await table.InsertAsync(w, row);
        await ChangeJournal.AppendAsync(w, collection.AccountId, "subprofile.create", now, Payload("create", database, collection, table, row, parameters, source));
        return id;
    }

    public async Task<SubprofileView?> FindAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var subprofileId)) return null;
        await using var c = await storage.OpenReadAsync(ct);
        return await FindAsync(c, null, accountId, subprofileId);
    }

    /// <summary>Whether the account has a subprofile (removed or not) with this id; one indexed lookup.</summary>
    public async Task<bool> ExistsAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var subprofileId)) return false;
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM subprofiles WHERE id = @subprofileId AND account_id = @accountId", new { subprofileId, accountId }, cancellationToken: ct)) > 0;
    }

    public async Task<SubprofileView> RequireAsync(long accountId, string id, CancellationToken ct) =>
        await FindAsync(accountId, id, ct) ?? throw new RequestRejectedException(CopernicaErrors.NoSubprofile);

    private static async Task<SubprofileView?> FindAsync(DbConnection c, DbTransaction? tx, long accountId, long subprofileId)
    {
        var collectionId = await c.ExecuteScalarAsync<long?>("SELECT collection_id FROM subprofiles WHERE id = @subprofileId AND account_id = @accountId", new { subprofileId, accountId }, tx);
        if (collectionId is null) return null;
        var collection = await c.QuerySingleAsync<CollectionRecord>($"SELECT {CollectionColumns} FROM collections WHERE id = @collectionId", new { collectionId }, tx);
        var database = await DatabaseStore.FindDatabaseAsync(c, tx, accountId, collection.DatabaseId.ToString(CultureInfo.InvariantCulture));
        var table = await TableAsync(c, tx, collection);
        var row = await table.FindAsync(c, tx, subprofileId);
        return database is null || row is null ? null : new SubprofileView(database, collection, table, row);
    }

    /// <summary>Subprofiles of a collection, optionally only those of one profile.</summary>
    public async Task<SubprofilePage> ListAsync(CollectionRecord collection, long? profileId, ProfileSearch search, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var table = await TableAsync(c, null, collection);
        var (where, parameters) = RowFilter.Build(storage.Dialect, table.Fields, search.Conditions, time);
        if (profileId is not null)
        {
            where += " AND profile_id = @ownerProfile";
            parameters.Add("ownerProfile", profileId.Value);
        }

        var rows = search.Take == 0 ? [] : await table.ReadAsync(c, null, where, parameters, RowFilter.OrderBy(storage.Dialect, search.OrderBy, search.Order, table.Fields), search.Take, search.Offset);
        long? total = search.WithTotal ? await table.CountAsync(c, null, where, parameters) : null;
        return new SubprofilePage(collection, table, rows, total);
    }

    public async Task<IReadOnlyList<long>> IdsAsync(CollectionRecord collection, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<long>($"SELECT id FROM {collection.SubprofileTable} WHERE removed IS NULL ORDER BY id")).ToList();
    }

    public Task<bool> UpdateAsync(long accountId, long subprofileId, JsonObject? fields, string? secret, string source, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var view = await FindAsync(w.Connection, w.Transaction, accountId, subprofileId) ?? throw new RequestRejectedException(CopernicaErrors.NoSubprofile);
            return await UpdateInTransactionAsync(w, view, fields, secret, source);
        }, ct);

    private async Task<bool> UpdateInTransactionAsync(WriteContext w, SubprofileView view, JsonObject? fields, string? secret, string source) =>
        await ChangedRowInTransactionAsync(w, view, fields, secret, source) is not null;

    /// <summary>Changes one subprofile; the row as it is now, or null when nothing changed.</summary>
    private async Task<ValueRow?> ChangedRowInTransactionAsync(WriteContext w, SubprofileView view, JsonObject? fields, string? secret, string source)
    {
        if (view.Row.IsRemoved) return null;
        var (values, parameters) = view.Table.Apply(view.Row.Values, fields, time);
        var valuesChanged = !values.SequenceEqual(view.Row.Values, StringComparer.Ordinal);
        if (secret is not null) secret = ProfileSecret.FromInput(secret);
        var secretChanged = secret is not null && secret != view.Row.Secret;
        if (!valuesChanged && !secretChanged) return null;
        var now = time.NowMs();
        var row = view.Row with { Values = values, Secret = secret ?? view.Row.Secret, Modified = valuesChanged ? now : view.Row.Modified };
        await view.Table.UpdateAsync(w, row);
        if (secretChanged) parameters["secret"] = row.Secret;
        var payload = Payload("update", view.Database, view.Collection, view.Table, row, parameters, source);
        payload["old"] = new JsonObject { ["fields"] = view.Table.ToJson(view.Row.Values), ["modified"] = view.Row.Modified };
        await ChangeJournal.AppendAsync(w, view.Collection.AccountId, "subprofile.update", now, payload);
        return row;
    }

    public Task DeleteAsync(long accountId, long subprofileId, string source, CancellationToken ct) =>
        DeleteAsync(accountId, subprofileId, source, keepModified: false, ct);

    /// <param name="keepModified">Leave <c>modified</c> as it was, as Copernica's v2 does.</param>
    public Task DeleteAsync(long accountId, long subprofileId, string source, bool keepModified, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var view = await FindAsync(w.Connection, w.Transaction, accountId, subprofileId) ?? throw new RequestRejectedException(CopernicaErrors.NoSubprofile);
            if (view.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.SubprofileAlreadyRemoved);
            await DeleteInTransactionAsync(w, view.Database, view.Collection, view.Table, view.Row, time.NowMs(), source, keepModified);
            return 0;
        }, ct);

    private static async Task DeleteInTransactionAsync(WriteContext w, DatabaseRecord database, CollectionRecord collection, ValueTable table, ValueRow row, long now, string source, bool keepModified)
    {
        await table.UpdateAsync(w, row with { Values = table.Cleared(), Removed = now, Modified = keepModified ? row.Modified : now });
        var payload = Payload("delete", database, collection, table, row, new JsonObject(), source);
        payload["removed"] = now;
        await ChangeJournal.AppendAsync(w, collection.AccountId, "subprofile.delete", now, payload);
    }

    /// <summary>
    /// Removes every subprofile of the collection (not yet removed) matching all <paramref name="conditions"/>, each
    /// journaled as the <c>subprofile.delete</c> it would be when removed one at a time; returns how many. A condition
    /// on a field the collection does not have is refused.
    /// </summary>
    public Task<int> BulkDeleteAsync(DatabaseRecord database, CollectionRecord collection, IReadOnlyList<SearchCondition> conditions, string source, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var table = await TableAsync(w.Connection, w.Transaction, collection);
            // A search ignores conditions on unknown fields, as Copernica does; a removal must not: a misspelt field
            // name would remove every subprofile.
            if (conditions.FirstOrDefault(c => table.Fields.Find(c.Field) is null && c.Field.ToLowerInvariant() is not ("id" or "code" or "secret" or "modified")) is { } unknown)
            {
                throw new RequestRejectedException($"Unknown field '{unknown.Field}' in the requirements: nothing was removed");
            }

            var (where, parameters) = RowFilter.Build(storage.Dialect, table.Fields, conditions, time);
            var now = time.NowMs();
            var removed = 0;
            foreach (var row in await table.ReadAsync(w.Connection, w.Transaction, where, parameters))
            {
                if (row.IsRemoved) continue;
                await DeleteInTransactionAsync(w, database, collection, table, row, now, source, keepModified: false);
                removed++;
            }

            return removed;
        }, ct);

    /// <summary>The collection's value table, or null when the collection has been removed (with its table).</summary>
    internal static async Task<ValueTable?> ExistingTableAsync(DbConnection c, DbTransaction? tx, CollectionRecord collection) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM collections WHERE id = @Id", new { collection.Id }, tx) == 0
            ? null
            : await TableAsync(c, tx, collection);

    /// <summary>Removes every subprofile of a profile that is being removed (same transaction).</summary>
    internal static async Task RemoveAllOfProfileAsync(WriteContext w, DatabaseRecord database, long profileId, long now, string source, bool keepModified)
    {
        var collections = await w.Connection.QueryAsync<CollectionRecord>($"SELECT {CollectionColumns} FROM collections WHERE database_id = @Id", new { database.Id }, w.Transaction);
        foreach (var collection in collections)
        {
            var table = await TableAsync(w.Connection, w.Transaction, collection);
            var p = new DynamicParameters();
            p.Add("owner", profileId);
            foreach (var row in await table.ReadAsync(w.Connection, w.Transaction, "removed IS NULL AND profile_id = @owner", p))
            {
                await DeleteInTransactionAsync(w, database, collection, table, row, now, source, keepModified);
            }
        }
    }

    /// <summary>
    /// Bulk update of a collection's subprofiles matching the conditions (optionally only one profile's); with
    /// <paramref name="createForProfile"/> and no match, creates one for that profile.
    /// </summary>
    public async Task<(int Updated, long? Created)> BulkUpdateAsync(DatabaseRecord database, CollectionRecord collection, long? profileId, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, bool createForProfile, string source, CancellationToken ct)
    {
        var result = await BulkUpdateListedAsync(database, collection, profileId, conditions, fields, createForProfile, source, ct);
        return (result.Updated, result.Created);
    }

    /// <summary>
    /// The same bulk update, answering the matched subprofiles as they are after it (in id order), or the one created,
    /// read in the same transaction.
    /// </summary>
    public Task<SubprofileBulkUpdate> BulkUpdateListedAsync(DatabaseRecord database, CollectionRecord collection, long? profileId, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, bool createForProfile, string source, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var table = await TableAsync(w.Connection, w.Transaction, collection);
            var (where, parameters) = RowFilter.Build(storage.Dialect, table.Fields, conditions, time);
            if (profileId is not null)
            {
                where += " AND profile_id = @ownerProfile";
                parameters.Add("ownerProfile", profileId.Value);
            }

            var rows = await table.ReadAsync(w.Connection, w.Transaction, where, parameters);
            if (rows.Count == 0)
            {
                if (!createForProfile || profileId is null) return new SubprofileBulkUpdate(table, [], 0, null);
                var created = await CreateInTransactionAsync(w, database, collection, profileId.Value, fields, source);
                var row = await table.FindAsync(w.Connection, w.Transaction, created);
                return new SubprofileBulkUpdate(table, row is null ? [] : [row], 0, created);
            }

            var updated = 0;
            var after = new List<ValueRow>(rows.Count);
            foreach (var row in rows)
            {
                var changed = await ChangedRowInTransactionAsync(w, new SubprofileView(database, collection, table, row), fields, null, source);
                if (changed is not null) updated++;
                after.Add(changed ?? row);
            }

            return new SubprofileBulkUpdate(table, after, updated, null);
        }, ct);

    private static JsonObject Payload(string action, DatabaseRecord database, CollectionRecord collection, ValueTable table, ValueRow row, JsonObject parameters, string source) => new()
    {
        ["entity"] = "subprofile",
        ["action"] = action,
        ["subprofile"] = row.Id,
        ["profile"] = row.ProfileId,
        ["collection"] = collection.Id,
        ["database"] = database.Id,
        ["source"] = source,
        ["parameters"] = parameters,
        ["fields"] = table.ToJson(row.Values),
        ["secret"] = row.Secret,
        ["created"] = row.Created,
        ["modified"] = row.Modified,
    };
}
