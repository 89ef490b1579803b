using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Tidings.Journal;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>A profile as read: its database, row, interests and the table (with fields) it lives in.</summary>
internal sealed record ProfileView(DatabaseRecord Database, ValueTable Table, ValueRow Row, IReadOnlyList<InterestRecord> AllInterests, HashSet<long> Interests);

/// <summary>A page of profiles of a database.</summary>
internal sealed record ProfilePage(ValueTable Table, IReadOnlyList<ValueRow> Rows, IReadOnlyDictionary<long, JsonArray> Interests, long? Total);

/// <summary>
/// Profiles: create, read, update, delete, list with filters, bulk update/upsert and bulk delete. Every change is
/// recorded in the event journal in the same transaction (change capture), with the old and new values.
/// </summary>
internal sealed class ProfileStore(IStorage storage, CopernicaTime time, FieldCache fieldCache)
{
    public SqlDialect Dialect => storage.Dialect;

    private async Task<ValueTable> TableAsync(DbConnection c, DbTransaction? tx, DatabaseRecord database) =>
        new(database.ProfileTable, await fieldCache.ListAsync(c, tx, database.Id, 0), false);

    public Task<long> CreateAsync(DatabaseRecord database, JsonObject? fields, JsonNode? interests, string source, CancellationToken ct) =>
        storage.WriteAsync(w => CreateInTransactionAsync(w, database, fields, interests, source), ct);

    /// <summary>
    /// Creates a profile and returns it as written, with every interest of the database, so that an answer showing the
    /// new profile whole (SOAP's <c>Database_createProfile</c>) need not read it back.
    /// </summary>
    public Task<ProfileView> CreateViewAsync(DatabaseRecord database, JsonObject? fields, JsonNode? interests, string source, CancellationToken ct) =>
        storage.WriteAsync(w => CreateViewInTransactionAsync(w, database, fields, interests, source, readAllInterests: true), ct);

    internal async Task<long> CreateInTransactionAsync(WriteContext w, DatabaseRecord database, JsonObject? fields, JsonNode? interests, string source) =>
        (await CreateViewInTransactionAsync(w, database, fields, interests, source, readAllInterests: false)).Row.Id;

    /// <param name="readAllInterests">Read the database's interests even when none are given, for the returned view.</param>
    private async Task<ProfileView> CreateViewInTransactionAsync(WriteContext w, DatabaseRecord database, JsonObject? fields, JsonNode? interests, string source, bool readAllInterests)
    {
        var table = await TableAsync(w.Connection, w.Transaction, database);
        var (values, parameters) = table.Apply(table.Defaults(time), fields, time);
        var now = time.NowMs();
        var id = await w.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO profiles (account_id, database_id) VALUES (@AccountId, @Id) RETURNING id", new { database.AccountId, database.Id }, w.Transaction);
        var row = new ValueRow(id, id, ProfileSecret.New(), now, now, null, values);
        await table.InsertAsync(w, row);

        var allInterests = interests is null && !readAllInterests ? [] : await InterestsAsync(w.Connection, w.Transaction, database.Id);
        var chosen = InterestInput.Apply(allInterests, [], interests, replace: false);
        await WriteInterestsAsync(w, id, [], chosen);
        if (interests is not null) parameters["interests"] = interests.DeepClone();

        await ChangeJournal.AppendAsync(w, database.AccountId, "profile.create", now, Payload("create", database, table, row, parameters, source, chosen, allInterests));
        return new ProfileView(database, table, row, allInterests, chosen);
    }

    public async Task<ProfileView?> FindAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var profileId)) return null;
        await using var c = await storage.OpenReadAsync(ct);
        return await FindAsync(c, null, accountId, profileId);
    }

    /// <summary>Whether the account has a profile (removed or not) with this id; one indexed lookup.</summary>
    public async Task<bool> ExistsAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var profileId)) return false;
        await using var c = await storage.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM profiles WHERE id = @profileId AND account_id = @accountId", new { profileId, accountId }, cancellationToken: ct)) > 0;
    }

    public async Task<ProfileView> RequireAsync(long accountId, string id, CancellationToken ct) =>
        await FindAsync(accountId, id, ct) ?? throw new RequestRejectedException(CopernicaErrors.NoProfile);

    internal async Task<ProfileView?> FindAsync(DbConnection c, DbTransaction? tx, long accountId, long profileId)
    {
        var databaseId = await c.ExecuteScalarAsync<long?>("SELECT database_id FROM profiles WHERE id = @profileId AND account_id = @accountId", new { profileId, accountId }, tx);
        if (databaseId is null) return null;
        var database = await DatabaseStore.FindDatabaseAsync(c, tx, accountId, databaseId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (database is null) return null;
        var table = await TableAsync(c, tx, database);
        var row = await table.FindAsync(c, tx, profileId);
        if (row is null) return null;
        var interests = await InterestsAsync(c, tx, database.Id);
        var mine = (await c.QueryAsync<long>("SELECT interest_id FROM profile_interests WHERE profile_id = @profileId", new { profileId }, tx)).ToHashSet();
        return new ProfileView(database, table, row, interests, mine);
    }

    public async Task<ProfilePage> ListAsync(DatabaseRecord database, ProfileSearch search, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        var table = await TableAsync(c, null, database);
        var (where, parameters) = RowFilter.Build(storage.Dialect, table.Fields, search.Conditions, time);
        var rows = search.Take == 0 ? [] : await table.ReadAsync(c, null, where, parameters, RowFilter.OrderBy(storage.Dialect, search.OrderBy, search.Order, table.Fields), search.Take, search.Offset);
        long? total = search.WithTotal ? await table.CountAsync(c, null, where, parameters) : null;
        var interests = await InterestNamesAsync(c, rows.Select(r => r.Id).ToList());
        return new ProfilePage(table, rows, interests, total);
    }

    public async Task<IReadOnlyList<long>> IdsAsync(DatabaseRecord database, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<long>($"SELECT id FROM {database.ProfileTable} WHERE removed IS NULL ORDER BY id")).ToList();
    }

    /// <summary>Updates one profile. Returns false when nothing changed (no journal record then).</summary>
    public Task<bool> UpdateAsync(long accountId, long profileId, JsonObject? fields, JsonNode? interests, bool replaceInterests, string? secret, string source, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var view = await FindAsync(w.Connection, w.Transaction, accountId, profileId) ?? throw new RequestRejectedException(CopernicaErrors.NoProfile);
            return await UpdateInTransactionAsync(w, view, fields, interests, replaceInterests, secret, source);
        }, ct);

    private async Task<bool> UpdateInTransactionAsync(WriteContext w, ProfileView view, JsonObject? fields, JsonNode? interests, bool replaceInterests, string? secret, string source)
    {
        if (view.Row.IsRemoved) return false;
        var (values, parameters) = view.Table.Apply(view.Row.Values, fields, time);
        var valuesChanged = !values.SequenceEqual(view.Row.Values, StringComparer.Ordinal);
        var newInterests = InterestInput.Apply(view.AllInterests, view.Interests, interests, replaceInterests);
        var interestsChanged = !newInterests.SetEquals(view.Interests);
        if (secret is not null) secret = ProfileSecret.FromInput(secret);
        var secretChanged = secret is not null && secret != view.Row.Secret;
        if (!valuesChanged && !interestsChanged && !secretChanged) return false;

        var now = time.NowMs();
        var row = view.Row with { Values = values, Secret = secret ?? view.Row.Secret, Modified = valuesChanged || interestsChanged ? now : view.Row.Modified };
        await view.Table.UpdateAsync(w, row);
        await WriteInterestsAsync(w, row.Id, view.Interests, newInterests);
        if (interests is not null) parameters["interests"] = interests.DeepClone();
        if (secretChanged) parameters["secret"] = row.Secret;

        var payload = Payload("update", view.Database, view.Table, row, parameters, source, newInterests, view.AllInterests);
        payload["old"] = new JsonObject
        {
            ["fields"] = view.Table.ToJson(view.Row.Values),
            ["interests"] = InterestInput.Names(view.AllInterests, view.Interests),
            ["modified"] = view.Row.Modified,
        };
        await ChangeJournal.AppendAsync(w, view.Database.AccountId, "profile.update", now, payload);
        return true;
    }

    public Task DeleteAsync(long accountId, long profileId, string source, CancellationToken ct) =>
        DeleteAsync(accountId, profileId, source, keepModified: false, ct);

    /// <param name="keepModified">Leave <c>modified</c> (also of the subprofiles) as it was, as Copernica's v2 does.</param>
    public Task DeleteAsync(long accountId, long profileId, string source, bool keepModified, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var view = await FindAsync(w.Connection, w.Transaction, accountId, profileId) ?? throw new RequestRejectedException(CopernicaErrors.NoProfile);
            if (view.Row.IsRemoved) throw new RequestRejectedException(CopernicaErrors.ProfileAlreadyRemoved);
            await DeleteInTransactionAsync(w, view, source, keepModified);
            return 0;
        }, ct);

    /// <summary>Removes a profile: values cleared, interests dropped, subprofiles removed; the row stays as a tombstone.</summary>
    private async Task DeleteInTransactionAsync(WriteContext w, ProfileView view, string source, bool keepModified)
    {
        var now = time.NowMs();
        await view.Table.UpdateAsync(w, view.Row with { Values = view.Table.Cleared(), Removed = now, Modified = keepModified ? view.Row.Modified : now });
        await WriteInterestsAsync(w, view.Row.Id, view.Interests, []);
        await SubprofileStore.RemoveAllOfProfileAsync(w, view.Database, view.Row.Id, now, source, keepModified);
        var payload = Payload("delete", view.Database, view.Table, view.Row, new JsonObject(), source, view.Interests, view.AllInterests);
        payload["removed"] = now;
        await ChangeJournal.AppendAsync(w, view.Database.AccountId, "profile.delete", now, payload);
    }

    /// <summary>
    /// <c>PUT database/{id}/profiles</c>: updates every (not removed) profile matching the conditions; when none match
    /// and <paramref name="create"/> is set, creates one. Returns the number updated and the id created, if any.
    /// </summary>
    public async Task<(int Updated, long? Created)> BulkUpdateAsync(DatabaseRecord database, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, JsonNode? interests, bool create, string source, CancellationToken ct)
    {
        var (_, updated, created) = await BulkUpdateMatchingAsync(database, conditions, fields, interests, create, source, ct);
        return (updated, created);
    }

    /// <summary>
    /// The bulk update above, also telling which profiles matched (in id order, changed or not): SOAP's
    /// <c>Database_updateProfiles</c> answers with them.
    /// </summary>
    public Task<(IReadOnlyList<long> Matched, int Updated, long? Created)> BulkUpdateMatchingAsync(
        DatabaseRecord database, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, JsonNode? interests, bool create, string source, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var table = await TableAsync(w.Connection, w.Transaction, database);
            var (where, parameters) = RowFilter.Build(storage.Dialect, table.Fields, conditions, time);
            var ids = (await w.Connection.QueryAsync<long>($"SELECT id FROM {table.Name} WHERE {where} ORDER BY id", parameters, w.Transaction)).ToList();
            if (ids.Count == 0)
            {
                return create ? ([], 0, (long?)await CreateInTransactionAsync(w, database, fields, interests, source)) : ((IReadOnlyList<long>)[], 0, (long?)null);
            }

            var updated = 0;
            foreach (var id in ids)
            {
                var view = await FindAsync(w.Connection, w.Transaction, database.AccountId, id);
                if (view is not null && await UpdateInTransactionAsync(w, view, fields, interests, false, null, source)) updated++;
            }

            return ((IReadOnlyList<long>)ids, updated, (long?)null);
        }, ct);

    /// <summary>The same with conditions as REST's <c>fields[]</c> parser gives them.</summary>
    public Task<(int Updated, long? Created)> BulkUpdateAsync(DatabaseRecord database, IReadOnlyList<FieldCondition> conditions, JsonObject? fields, JsonNode? interests, bool create, string source, CancellationToken ct) =>
        BulkUpdateAsync(database, conditions.Select(c => new SearchCondition(c.Field, c.Operator, c.Value)).ToList(), fields, interests, create, source, ct);

    /// <summary>Removes the listed profiles of a database; unknown or already removed ids are an error and nothing is removed.</summary>
    public Task<int> BulkDeleteAsync(DatabaseRecord database, IReadOnlyList<long> ids, string source, CancellationToken ct) =>
        BulkDeleteAsync(database, ids, source, keepModified: false, ct);

    /// <param name="keepModified">Leave <c>modified</c> as it was, as Copernica's v2 does.</param>
    public Task<int> BulkDeleteAsync(DatabaseRecord database, IReadOnlyList<long> ids, string source, bool keepModified, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            var views = new List<ProfileView>();
            foreach (var id in ids.Distinct())
            {
                var view = await FindAsync(w.Connection, w.Transaction, database.AccountId, id);
                if (view is null || view.Database.Id != database.Id) throw new RequestRejectedException($"{CopernicaErrors.NoProfile}: {id}");
                if (view.Row.IsRemoved) throw new RequestRejectedException($"{CopernicaErrors.ProfileAlreadyRemoved}: {id}");
                views.Add(view);
            }

            foreach (var view in views) await DeleteInTransactionAsync(w, view, source, keepModified);
            return views.Count;
        }, ct);

    internal static async Task<IReadOnlyList<InterestRecord>> InterestsAsync(DbConnection c, DbTransaction? tx, long databaseId) =>
        (await c.QueryAsync<InterestRecord>("SELECT id, database_id AS DatabaseId, name, group_name AS \"Group\" FROM interests WHERE database_id = @databaseId ORDER BY id", new { databaseId }, tx)).ToList();

    private static async Task<IReadOnlyDictionary<long, JsonArray>> InterestNamesAsync(DbConnection c, IReadOnlyList<long> profileIds)
    {
        var result = new Dictionary<long, JsonArray>();
        if (profileIds.Count == 0) return result;
        var rows = await c.QueryAsync<(long ProfileId, string Name)>(
            $"SELECT pi.profile_id, i.name FROM profile_interests pi JOIN interests i ON i.id = pi.interest_id WHERE pi.profile_id IN ({string.Join(',', profileIds)}) ORDER BY i.id");
        foreach (var (profileId, name) in rows)
        {
            if (!result.TryGetValue(profileId, out var list)) result[profileId] = list = [];
            list.Add(name);
        }

        return result;
    }

    private static async Task WriteInterestsAsync(WriteContext w, long profileId, HashSet<long> before, HashSet<long> after)
    {
        foreach (var removed in before.Except(after))
        {
            await w.Connection.ExecuteAsync("DELETE FROM profile_interests WHERE profile_id = @profileId AND interest_id = @removed", new { profileId, removed }, w.Transaction);
        }

        foreach (var added in after.Except(before))
        {
            await w.Connection.ExecuteAsync("INSERT INTO profile_interests (profile_id, interest_id) VALUES (@profileId, @added)", new { profileId, added }, w.Transaction);
        }
    }

    private static JsonObject Payload(string action, DatabaseRecord database, ValueTable table, ValueRow row, JsonObject parameters, string source, IEnumerable<long> interests, IReadOnlyList<InterestRecord> allInterests) => new()
    {
        ["entity"] = "profile",
        ["action"] = action,
        ["profile"] = row.Id,
        ["database"] = database.Id,
        ["source"] = source,
        ["parameters"] = parameters,
        ["fields"] = table.ToJson(row.Values),
        ["interests"] = InterestInput.Names(allInterests, interests),
        ["secret"] = row.Secret,
        ["created"] = row.Created,
        ["modified"] = row.Modified,
    };
}
