namespace Tidings.Profiles;

/// <summary>Whose fields: a database's (<see cref="CollectionId"/> 0) or one of its collections'.</summary>
internal sealed record FieldOwner(long AccountId, long DatabaseId, long CollectionId)
{
    public static FieldOwner Of(DatabaseRecord database) => new(database.AccountId, database.Id, 0);

    public static FieldOwner Of(CollectionRecord collection) => new(collection.AccountId, collection.DatabaseId, collection.Id);
}

/// <summary>
/// Fields of databases and collections: found by id or (case-insensitive) name, added, changed (a type change converts
/// every stored value to the new type) and removed with their values.
/// </summary>
internal sealed class FieldService(FieldStore store)
{
    public async Task<IReadOnlyList<FieldDefinition>> ListAsync(FieldOwner owner, CancellationToken ct) =>
        (await store.ListAsync(owner.DatabaseId, owner.CollectionId, ct)).All;

    /// <summary>A field of the owner by id or name; Copernica's "No field" rejection otherwise.</summary>
    public Task<FieldDefinition> RequireAsync(FieldOwner owner, string idOrName, CancellationToken ct) =>
        store.RequireAsync(owner.DatabaseId, owner.CollectionId, idOrName, ct);

    public Task<long> CreateAsync(FieldOwner owner, FieldSpec spec, CancellationToken ct) =>
        store.CreateAsync(owner.AccountId, owner.DatabaseId, owner.CollectionId, spec, ct);

    public Task UpdateAsync(FieldDefinition field, FieldSpec spec, CancellationToken ct) => store.UpdateAsync(field, spec, ct);

    /// <summary>Removes the field and its values; returns the id of the field removed.</summary>
    public async Task<long> DeleteAsync(FieldOwner owner, string idOrName, CancellationToken ct)
    {
        var field = await RequireAsync(owner, idOrName, ct);
        await store.DeleteAsync(field, ct);
        return field.Id;
    }
}
