namespace Tidings.Profiles;

/// <summary>What to set on an interest; null leaves a value as it is (on create: empty).</summary>
internal sealed record InterestChange(string? Name, string? Group);

/// <summary>Interests of a database: listed, added, renamed or regrouped, and removed from the database and every profile.</summary>
internal sealed class InterestService(InterestStore store)
{
    public Task<IReadOnlyList<InterestRecord>> ListAsync(DatabaseRecord database, CancellationToken ct) => store.ListAsync(database.Id, ct);

    /// <summary>An interest of the account by id; Copernica's "No interest" rejection otherwise.</summary>
    public Task<InterestRecord> RequireAsync(long accountId, string id, CancellationToken ct) => store.RequireAsync(accountId, id, ct);

    public Task<long> CreateAsync(DatabaseRecord database, InterestChange change, CancellationToken ct) =>
        store.CreateAsync(database, change.Name ?? "", change.Group ?? "", ct);

    public Task UpdateAsync(InterestRecord interest, InterestChange change, CancellationToken ct) =>
        store.UpdateAsync(interest, change.Name, change.Group, ct);

    public Task DeleteAsync(InterestRecord interest, CancellationToken ct) => store.DeleteAsync(interest, ct);
}
