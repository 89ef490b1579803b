using System.Globalization;
using System.Text.Json.Nodes;

namespace Tidings.Profiles;

/// <summary>A change to a subprofile as given: field values by name (normalised per field type) and a new secret.</summary>
internal sealed record SubprofileChange(JsonObject? Fields, string? Secret = null);

/// <summary>
/// Subprofiles of collections: search (of a collection, or of one profile in it), read, create, change and remove,
/// with the same normalisation and change capture as profiles.
/// </summary>
internal sealed class SubprofileService(SubprofileStore store, DatabaseStore databases)
{
    /// <summary>A subprofile of the account by id, removed or not; Copernica's "No subprofile" rejection otherwise.</summary>
    public Task<SubprofileView> RequireAsync(long accountId, string id, CancellationToken ct) => store.RequireAsync(accountId, id, ct);

    /// <summary>Subprofiles of the collection matching the search; only those of <paramref name="profileId"/> when given.</summary>
    public Task<SubprofilePage> SearchAsync(CollectionRecord collection, long? profileId, ProfileSearch search, CancellationToken ct) =>
        store.ListAsync(collection, profileId, search, ct);

    /// <summary>Ids of every subprofile of the collection that is not removed, in id order.</summary>
    public Task<IReadOnlyList<long>> IdsAsync(CollectionRecord collection, CancellationToken ct) => store.IdsAsync(collection, ct);

    /// <summary>Creates a subprofile of a profile that is not removed, in a collection of the profile's database.</summary>
    public Task<long> CreateAsync(ProfileView profile, CollectionRecord collection, JsonObject? fields, string source, CancellationToken ct) =>
        store.CreateAsync(profile, collection, fields, source, ct);

    /// <summary>Changes one subprofile; false when nothing changed (then nothing is recorded either).</summary>
    public Task<bool> UpdateAsync(SubprofileView subprofile, SubprofileChange change, string source, CancellationToken ct) =>
        store.UpdateAsync(subprofile.Collection.AccountId, subprofile.Row.Id, change.Fields, change.Secret, source, ct);

    /// <param name="keepModified">Leave <c>modified</c> as it was (Copernica's v2 did).</param>
    public Task DeleteAsync(SubprofileView subprofile, string source, bool keepModified, CancellationToken ct) =>
        store.DeleteAsync(subprofile.Collection.AccountId, subprofile.Row.Id, source, keepModified, ct);

    /// <summary>Changes every subprofile of the collection matching all <paramref name="conditions"/>.</summary>
    public async Task<int> BulkUpdateAsync(CollectionRecord collection, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, string source, CancellationToken ct)
    {
        var database = await databases.RequireDatabaseAsync(collection.AccountId, collection.DatabaseId.ToString(CultureInfo.InvariantCulture), ct);
        return (await store.BulkUpdateAsync(database, collection, null, conditions, fields, false, source, ct)).Updated;
    }

    /// <summary>Removes every subprofile of the collection matching all <paramref name="conditions"/>; returns how many.</summary>
    public async Task<int> BulkDeleteAsync(CollectionRecord collection, IReadOnlyList<SearchCondition> conditions, string source, CancellationToken ct)
    {
        var database = await databases.RequireDatabaseAsync(collection.AccountId, collection.DatabaseId.ToString(CultureInfo.InvariantCulture), ct);
        return await store.BulkDeleteAsync(database, collection, conditions, source, ct);
    }

    /// <summary>
    /// Changes the profile's subprofiles in the collection matching all <paramref name="conditions"/>; with
    /// <paramref name="createWhenNone"/> and no match, creates one. Returns the number changed and the id created.
    /// </summary>
    public Task<(int Updated, long? Created)> BulkUpdateAsync(
        ProfileView profile, CollectionRecord collection, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, bool createWhenNone, string source, CancellationToken ct) =>
        store.BulkUpdateAsync(profile.Database, collection, profile.Row.Id, conditions, fields, createWhenNone, source, ct);

    /// <summary>
    /// The same change of the profile's subprofiles (SOAP's <c>Profile_updateSubProfiles</c>), answering the matched
    /// subprofiles as they are after it, or the one created.
    /// </summary>
    public Task<SubprofileBulkUpdate> BulkUpdateListedAsync(
        ProfileView profile, CollectionRecord collection, IReadOnlyList<SearchCondition> conditions, JsonObject? fields, bool createWhenNone, string source, CancellationToken ct) =>
        store.BulkUpdateListedAsync(profile.Database, collection, profile.Row.Id, conditions, fields, createWhenNone, source, ct);
}
