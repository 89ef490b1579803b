using Dapper;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>Databases and collections of an account, including the value tables they own.</summary>
internal sealed class DatabaseStore(IStorage storage, CopernicaTime time)
{
    private const string DatabaseColumns =
        "id, account_id AS AccountId, name, description, archived, created, unsubscribe_behavior AS UnsubscribeBehavior, unsubscribe_fields AS UnsubscribeFields, intentions";

    private const string CollectionColumns =
        "id, account_id AS AccountId, database_id AS DatabaseId, name, description, created, unsubscribe_behavior AS UnsubscribeBehavior, unsubscribe_fields AS UnsubscribeFields, intentions";

    public SqlDialect Dialect => storage.Dialect;

    public Task<(IReadOnlyList<DatabaseRecord> Items, long Total)> ListDatabasesAsync(long accountId, Paging paging, CancellationToken ct) =>
        ListDatabasesAsync(accountId, paging.Offset, paging.Take, ct);

    public async Task<(IReadOnlyList<DatabaseRecord> Items, long Total)> ListDatabasesAsync(long accountId, long offset, long take, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var items = (await c.QueryAsync<DatabaseRecord>(
            $"SELECT {DatabaseColumns} FROM databases WHERE account_id = @accountId ORDER BY id LIMIT @take OFFSET @skip",
            new { accountId, take, skip = offset })).ToList();
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM databases WHERE account_id = @accountId", new { accountId });
        return (items, total);
    }

    /// <summary>A database of the account by numeric id or (case-insensitive) name.</summary>
    public async Task<DatabaseRecord?> FindDatabaseAsync(long accountId, string idOrName, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return await FindDatabaseAsync(c, null, accountId, idOrName);
    }

    public async Task<DatabaseRecord> RequireDatabaseAsync(long accountId, string idOrName, CancellationToken ct) =>
        await FindDatabaseAsync(accountId, idOrName, ct) ?? throw new RequestRejectedException(CopernicaErrors.NoDatabase);

    internal static Task<DatabaseRecord?> FindDatabaseAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, long accountId, string idOrName) =>
        RestIds.TryParse(idOrName, out var id)
            ? c.QuerySingleOrDefaultAsync<DatabaseRecord>($"SELECT {DatabaseColumns} FROM databases WHERE account_id = @accountId AND id = @id", new { accountId, id }, tx)
            : c.QuerySingleOrDefaultAsync<DatabaseRecord>($"SELECT {DatabaseColumns} FROM databases WHERE account_id = @accountId AND name_key = @key", new { accountId, key = Key(idOrName) }, tx);

    public Task<long> CreateDatabaseAsync(long accountId, string name, string description, bool archived, CancellationToken ct)
    {
        ValidateName(name, "database");
        return storage.WriteAsync(async w =>
        {
            if (await w.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM databases WHERE account_id = @accountId AND name_key = @key", new { accountId, key = Key(name) }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"A database with the name '{name}' already exists");
            }

            var id = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO databases (account_id, name, name_key, description, archived, created) VALUES (@accountId, @name, @key, @description, @archived, @now) RETURNING id",
                new { accountId, name, key = Key(name), description, archived = archived ? 1 : 0, now = time.NowMs() }, w.Transaction);
            await w.Connection.ExecuteAsync(
                $"CREATE TABLE {ProfileTables.ForDatabase(id)} (id {storage.Dialect.IntegerType} PRIMARY KEY, secret TEXT NOT NULL, created {storage.Dialect.IntegerType} NOT NULL, modified {storage.Dialect.IntegerType} NOT NULL, removed {storage.Dialect.IntegerType})",
                transaction: w.Transaction);
            return id;
        }, ct).OrNameTaken(storage.Dialect, $"A database with the name '{name}' already exists");
    }

    public Task UpdateDatabaseAsync(DatabaseRecord database, string? name, string? description, bool? archived, CancellationToken ct)
    {
        if (name is not null) ValidateName(name, "database");
        return storage.WriteAsync(async w =>
        {
            if (name is not null && await w.Connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM databases WHERE account_id = @AccountId AND name_key = @key AND id <> @Id", new { database.AccountId, key = Key(name), database.Id }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"A database with the name '{name}' already exists");
            }

            return await w.Connection.ExecuteAsync(
                "UPDATE databases SET name = COALESCE(@name, name), name_key = COALESCE(@key, name_key), description = COALESCE(@description, description), archived = COALESCE(@archived, archived) WHERE id = @Id",
                new { name, key = name is null ? null : Key(name), description, archived = archived is null ? (int?)null : archived.Value ? 1 : 0, database.Id }, w.Transaction);
        }, ct).OrNameTaken(storage.Dialect, $"A database with the name '{name}' already exists");
    }

    public Task SetDatabaseUnsubscribeAsync(long databaseId, string behavior, string fieldsJson, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE databases SET unsubscribe_behavior = @behavior, unsubscribe_fields = @fieldsJson WHERE id = @databaseId", new { behavior, fieldsJson, databaseId }, w.Transaction), ct);

    public Task SetDatabaseIntentionsAsync(long databaseId, string intentionsJson, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE databases SET intentions = @intentionsJson WHERE id = @databaseId", new { intentionsJson, databaseId }, w.Transaction), ct);

    public async Task<IReadOnlyList<CollectionRecord>> ListCollectionsAsync(long databaseId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<CollectionRecord>($"SELECT {CollectionColumns} FROM collections WHERE database_id = @databaseId ORDER BY id", new { databaseId })).ToList();
    }

    /// <summary>A collection of the account by id, or by name within <paramref name="database"/>.</summary>
    public async Task<CollectionRecord?> FindCollectionAsync(long accountId, string idOrName, DatabaseRecord? database, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        if (RestIds.TryParse(idOrName, out var id))
        {
            var byId = await c.QuerySingleOrDefaultAsync<CollectionRecord>($"SELECT {CollectionColumns} FROM collections WHERE account_id = @accountId AND id = @id", new { accountId, id });
            return database is null || byId?.DatabaseId == database.Id ? byId : null;
        }

        if (database is null) return null;
        return await c.QuerySingleOrDefaultAsync<CollectionRecord>(
            $"SELECT {CollectionColumns} FROM collections WHERE database_id = @Id AND name_key = @key", new { database.Id, key = Key(idOrName) });
    }

    public async Task<CollectionRecord> RequireCollectionAsync(long accountId, string idOrName, CancellationToken ct) =>
        await FindCollectionAsync(accountId, idOrName, null, ct) ?? throw new RequestRejectedException(CopernicaErrors.NoCollection);

    public Task<long> CreateCollectionAsync(DatabaseRecord database, string name, string description, CancellationToken ct)
    {
        ValidateName(name, "collection");
        return storage.WriteAsync(async w =>
        {
            if (await w.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM collections WHERE database_id = @Id AND name_key = @key", new { database.Id, key = Key(name) }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"A collection with the name '{name}' already exists in this database");
            }

            var id = await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO collections (account_id, database_id, name, name_key, description, created) VALUES (@AccountId, @Id, @name, @key, @description, @now) RETURNING id",
                new { database.AccountId, database.Id, name, key = Key(name), description, now = time.NowMs() }, w.Transaction);
            var table = ProfileTables.ForCollection(id);
            var integer = storage.Dialect.IntegerType;
            await w.Connection.ExecuteAsync(
                $"CREATE TABLE {table} (id {integer} PRIMARY KEY, profile_id {integer} NOT NULL, secret TEXT NOT NULL, created {integer} NOT NULL, modified {integer} NOT NULL, removed {integer})",
                transaction: w.Transaction);
            await w.Connection.ExecuteAsync($"CREATE INDEX ix_{table}_profile ON {table}(profile_id)", transaction: w.Transaction);
            return id;
        }, ct).OrNameTaken(storage.Dialect, $"A collection with the name '{name}' already exists in this database");
    }

    public Task UpdateCollectionAsync(CollectionRecord collection, string? name, string? description, CancellationToken ct)
    {
        if (name is not null) ValidateName(name, "collection");
        return storage.WriteAsync(async w =>
        {
            if (name is not null && await w.Connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM collections WHERE database_id = @DatabaseId AND name_key = @key AND id <> @Id", new { collection.DatabaseId, key = Key(name), collection.Id }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"A collection with the name '{name}' already exists in this database");
            }

            return await w.Connection.ExecuteAsync(
                "UPDATE collections SET name = COALESCE(@name, name), name_key = COALESCE(@key, name_key), description = COALESCE(@description, description) WHERE id = @Id",
                new { name, key = name is null ? null : Key(name), description, collection.Id }, w.Transaction);
        }, ct).OrNameTaken(storage.Dialect, $"A collection with the name '{name}' already exists in this database");
    }

    /// <summary>
    /// Removes a collection: its subprofiles (registry rows and value table), its fields and the collection itself, in
    /// one transaction. Refused, with nothing changed, while a webhook is scoped to the collection (deleting a customer's
    /// webhook silently would be worse than asking them to) or a mailing to it is still being prepared (its expansion
    /// reads the table). Returns how many subprofiles that were not yet removed went with it.
    /// </summary>
    public Task<long> RemoveCollectionAsync(CollectionRecord collection, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var args = new { collection.AccountId, collection.Id, collection.DatabaseId };
            var webhooks = (await w.Connection.QueryAsync<long>(
                "SELECT id FROM webhooks WHERE account_id = @AccountId AND collection_id = @Id ORDER BY id", args, w.Transaction)).ToList();
            if (webhooks.Count > 0)
            {
                throw new RequestRejectedException(
                    $"Collection {collection.Id} cannot be removed: webhook {string.Join(", ", webhooks)} {(webhooks.Count == 1 ? "is" : "are")} scoped to it; remove {(webhooks.Count == 1 ? "it" : "them")} or change {(webhooks.Count == 1 ? "its" : "their")} collection first");
            }

            var mailings = (await w.Connection.QueryAsync<long>(
                "SELECT id FROM mailings WHERE account_id = @AccountId AND collection_id = @Id AND status = 'preparing' ORDER BY id", args, w.Transaction)).ToList();
            if (mailings.Count > 0)
            {
                throw new RequestRejectedException($"Collection {collection.Id} cannot be removed while mailing {string.Join(", ", mailings)} to it is being prepared");
            }

            var table = collection.SubprofileTable;
            var subprofiles = await w.Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE removed IS NULL", transaction: w.Transaction);
            await w.Connection.ExecuteAsync("DELETE FROM subprofiles WHERE account_id = @AccountId AND collection_id = @Id", args, w.Transaction);
            await w.Connection.ExecuteAsync("DELETE FROM fields WHERE database_id = @DatabaseId AND collection_id = @Id", args, w.Transaction);
            await w.Connection.ExecuteAsync($"DROP TABLE {table}", transaction: w.Transaction);
            await w.Connection.ExecuteAsync("DELETE FROM collections WHERE id = @Id", args, w.Transaction);
            return subprofiles;
        }, ct);

    public Task SetCollectionUnsubscribeAsync(long collectionId, string behavior, string fieldsJson, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE collections SET unsubscribe_behavior = @behavior, unsubscribe_fields = @fieldsJson WHERE id = @collectionId", new { behavior, fieldsJson, collectionId }, w.Transaction), ct);

    public Task SetCollectionIntentionsAsync(long collectionId, string intentionsJson, CancellationToken ct) =>
        storage.WriteAsync(w => w.Connection.ExecuteAsync(
            "UPDATE collections SET intentions = @intentionsJson WHERE id = @collectionId", new { intentionsJson, collectionId }, w.Transaction), ct);

    /// <summary>
    /// Removes a database with everything it owns, in one transaction: its profiles' and its collections' value tables,
    /// the registry rows of its profiles and subprofiles, their interests, its fields, interests and collections.
    /// Refused, with nothing removed, while a webhook is scoped to the database or one of its collections (a customer's
    /// webhook is never deleted as a side effect) or while a mailing went to it (its destinations' later events read the
    /// profiles). No per-profile event is journaled: a database of a million profiles would write a million events in one
    /// transaction; the removal is one audit entry (<see cref="DatabaseService.RemoveAsync"/>). Returns the number of
    /// profiles it held (not removed ones).
    /// </summary>
    public Task<long> RemoveDatabaseAsync(DatabaseRecord database, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var c = w.Connection;
            var tx = w.Transaction;
            // Locks the row and checks it is still there: a concurrent removal may have committed since it was read.
            if (await c.ExecuteAsync("UPDATE databases SET id = id WHERE id = @Id", new { database.Id }, tx) == 0) throw new RequestRejectedException(CopernicaErrors.NoDatabase);
            const string OwnCollections = "SELECT id FROM collections WHERE database_id = @Id";
            var webhooks = (await c.QueryAsync<long>(
                $"SELECT id FROM webhooks WHERE database_id = @Id OR collection_id IN ({OwnCollections}) ORDER BY id", new { database.Id }, tx)).ToList();
            if (webhooks.Count > 0)
            {
                throw new RequestRejectedException(
                    $"Database '{database.Name}' cannot be removed: {Listed("webhook", webhooks)} {(webhooks.Count == 1 ? "is" : "are")} scoped to it; remove them or change their database first");
            }

            var mailings = (await c.QueryAsync<long>("SELECT id FROM mailings WHERE database_id = @Id ORDER BY id", new { database.Id }, tx)).ToList();
            if (mailings.Count > 0)
            {
                throw new RequestRejectedException(
                    $"Database '{database.Name}' cannot be removed: {Listed("mailing", mailings)} went to its profiles, and the events of their messages still read them");
            }

            var profiles = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {database.ProfileTable} WHERE removed IS NULL", transaction: tx);
            var collections = (await c.QueryAsync<long>(OwnCollections + " ORDER BY id", new { database.Id }, tx)).ToList();
            // The value tables first: on PostgreSQL the DROP waits for writers still adding (sub)profiles and shuts out new
            // ones, so the registry rows deleted after it include every one that was committed.
            foreach (var collection in collections) await c.ExecuteAsync($"DROP TABLE {ProfileTables.ForCollection(collection)}", transaction: tx);
            await c.ExecuteAsync($"DROP TABLE {database.ProfileTable}", transaction: tx);
            await c.ExecuteAsync("DELETE FROM profile_interests WHERE interest_id IN (SELECT id FROM interests WHERE database_id = @Id)", new { database.Id }, tx);
            await c.ExecuteAsync($"DELETE FROM subprofiles WHERE collection_id IN ({OwnCollections})", new { database.Id }, tx);
            await c.ExecuteAsync("DELETE FROM fields WHERE database_id = @Id", new { database.Id }, tx);
            await c.ExecuteAsync("DELETE FROM interests WHERE database_id = @Id", new { database.Id }, tx);
            await c.ExecuteAsync("DELETE FROM collections WHERE database_id = @Id", new { database.Id }, tx);
            await c.ExecuteAsync("DELETE FROM profiles WHERE database_id = @Id", new { database.Id }, tx);
            await c.ExecuteAsync("DELETE FROM databases WHERE id = @Id", new { database.Id }, tx);
            return profiles;
        }, ct);

    /// <summary>"webhook 3" or "webhooks 3, 4, 7" (the first ten, then how many more).</summary>
    private static string Listed(string what, IReadOnlyList<long> ids) =>
        (ids.Count == 1 ? what : what + "s") + " " + string.Join(", ", ids.Take(10)) + (ids.Count > 10 ? $" and {ids.Count - 10} more" : "");

    internal static string Key(string name) => name.Trim().ToLowerInvariant();

    /// <summary>Names are what clients use instead of ids: no digits-only names, nothing empty, nothing huge.</summary>
    internal static void ValidateName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new RequestRejectedException($"Invalid {what} name: a name is required");
        if (name.Length > 255) throw new RequestRejectedException($"Invalid {what} name: at most 255 characters");
        if (name.All(char.IsAsciiDigit)) throw new RequestRejectedException($"Invalid {what} name: a name cannot consist of digits only");
    }
}
