using Dapper;
using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>Interests of a database.</summary>
internal sealed class InterestStore(IStorage storage)
{
    private const string Columns = "id, database_id AS DatabaseId, name, group_name AS \"Group\"";

    public async Task<IReadOnlyList<InterestRecord>> ListAsync(long databaseId, CancellationToken ct)
    {
        await using var c = await storage.OpenReadAsync(ct);
        return (await c.QueryAsync<InterestRecord>($"SELECT {Columns} FROM interests WHERE database_id = @databaseId ORDER BY id", new { databaseId })).ToList();
    }

    public async Task<InterestRecord> RequireAsync(long accountId, string id, CancellationToken ct)
    {
        if (!RestIds.TryParse(id, out var interestId)) throw new RequestRejectedException(CopernicaErrors.NoInterest);
        await using var c = await storage.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<InterestRecord>($"SELECT {Columns} FROM interests WHERE account_id = @accountId AND id = @interestId", new { accountId, interestId })
            ?? throw new RequestRejectedException(CopernicaErrors.NoInterest);
    }

    public Task<long> CreateAsync(DatabaseRecord database, string name, string group, CancellationToken ct)
    {
        DatabaseStore.ValidateName(name, "interest");
        return storage.WriteAsync(async w =>
        {
            if (await w.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interests WHERE database_id = @Id AND name_key = @key", new { database.Id, key = DatabaseStore.Key(name) }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"An interest with the name '{name}' already exists");
            }

            return await w.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO interests (account_id, database_id, name, name_key, group_name) VALUES (@AccountId, @Id, @name, @key, @group) RETURNING id",
                new { database.AccountId, database.Id, name = name.Trim(), key = DatabaseStore.Key(name), group }, w.Transaction);
        }, ct).OrNameTaken(storage.Dialect, $"An interest with the name '{name}' already exists");
    }

    public Task UpdateAsync(InterestRecord interest, string? name, string? group, CancellationToken ct)
    {
        if (name is not null) DatabaseStore.ValidateName(name, "interest");
        return storage.WriteAsync(async w =>
        {
            if (name is not null && await w.Connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM interests WHERE database_id = @DatabaseId AND name_key = @key AND id <> @Id", new { interest.DatabaseId, key = DatabaseStore.Key(name), interest.Id }, w.Transaction) > 0)
            {
                throw new RequestRejectedException($"An interest with the name '{name}' already exists");
            }

            return await w.Connection.ExecuteAsync(
                "UPDATE interests SET name = COALESCE(@name, name), name_key = COALESCE(@key, name_key), group_name = COALESCE(@group, group_name) WHERE id = @Id",
                new { name = name?.Trim(), key = name is null ? null : DatabaseStore.Key(name), group, interest.Id }, w.Transaction);
        }, ct).OrNameTaken(storage.Dialect, $"An interest with the name '{name}' already exists");
    }

    public Task DeleteAsync(InterestRecord interest, CancellationToken ct) =>
        storage.WriteAsync(async w =>
        {
            await w.Connection.ExecuteAsync("DELETE FROM profile_interests WHERE interest_id = @Id", new { interest.Id }, w.Transaction);
            return await w.Connection.ExecuteAsync("DELETE FROM interests WHERE id = @Id", new { interest.Id }, w.Transaction);
        }, ct);
}
