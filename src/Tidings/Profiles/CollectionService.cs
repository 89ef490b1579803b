using Tidings.Audit;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>
/// Collections of a database: found by id (anywhere in the account) or by name within a database, listed with their
/// fields, created, renamed, removed, and their unsubscribe behaviour and intentions.
/// </summary>
internal sealed class CollectionService(DatabaseStore store, FieldStore fields, AuditTrail audit)
{
    /// <summary>A collection of the account by id; Copernica's "No collection" rejection otherwise.</summary>
    public Task<CollectionRecord> RequireAsync(long accountId, string id, CancellationToken ct) =>
        store.RequireCollectionAsync(accountId, id, ct);

    /// <summary>A collection of <paramref name="database"/> by id or (case-insensitive) name, or null.</summary>
    public Task<CollectionRecord?> FindInAsync(DatabaseRecord database, string idOrName, CancellationToken ct) =>
        store.FindCollectionAsync(database.AccountId, idOrName, database, ct);

    /// <summary>A collection of <paramref name="database"/> by id or name; <paramref name="notFound"/> otherwise.</summary>
    public async Task<CollectionRecord> RequireInAsync(DatabaseRecord database, string idOrName, string notFound, CancellationToken ct) =>
        await FindInAsync(database, idOrName, ct) ?? throw new RequestRejectedException(notFound);

    public async Task<IReadOnlyList<CollectionDetails>> ListAsync(DatabaseRecord database, CancellationToken ct)
    {
        var list = new List<CollectionDetails>();
        foreach (var c in await store.ListCollectionsAsync(database.Id, ct)) list.Add(new CollectionDetails(c, await fields.ListAsync(database.Id, c.Id, ct)));
        return list;
    }

    public async Task<CollectionDetails> GetAsync(long accountId, string id, CancellationToken ct)
    {
        var c = await RequireAsync(accountId, id, ct);
        return new CollectionDetails(c, await fields.ListAsync(c.DatabaseId, c.Id, ct));
    }

    public Task<long> CreateAsync(DatabaseRecord database, DatabaseChange change, CancellationToken ct) =>
        store.CreateCollectionAsync(database, change.Name ?? "", change.Description ?? "", ct);

    public Task UpdateAsync(CollectionRecord collection, DatabaseChange change, CancellationToken ct) =>
        store.UpdateCollectionAsync(collection, change.Name, change.Description, ct);

    /// <summary>
    /// Removes the collection with its fields and subprofiles (Copernica's REST has no such call; SOAP's
    /// <c>Collection_remove</c> does). One audit entry records it; no <c>subprofile.delete</c> event is journaled per
    /// subprofile, since a collection of a million would flood the journal and every webhook at once. Refused while a
    /// webhook is scoped to the collection or a mailing to it is being prepared.
    /// </summary>
    public async Task RemoveAsync(CollectionRecord collection, CancellationToken ct)
    {
        var fieldCount = (await fields.ListAsync(collection.DatabaseId, collection.Id, ct)).All.Count;
        var subprofiles = await store.RemoveCollectionAsync(collection, ct);
        await audit.RecordAsync(collection.AccountId, AuditActions.Deleted, AuditTargets.Collection, collection.Id,
            $"'{collection.Name}' of database {collection.DatabaseId}, with {fieldCount} fields and {subprofiles} subprofiles", ct);
    }

    public Task SetUnsubscribeAsync(CollectionRecord collection, UnsubscribeChange change, CancellationToken ct)
    {
        var (behavior, fieldsJson) = UnsubscribeRules.Apply(change, collection.UnsubscribeBehavior);
        return store.SetCollectionUnsubscribeAsync(collection.Id, behavior, fieldsJson, ct);
    }

    public Task SetIntentionsAsync(CollectionRecord collection, IntentionsChange change, CancellationToken ct) =>
        store.SetCollectionIntentionsAsync(collection.Id, UnsubscribeRules.Intentions(change, collection.Intentions), ct);
}
