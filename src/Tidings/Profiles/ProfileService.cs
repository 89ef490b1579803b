using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>
/// A change to a profile as given: field values by name (normalised per field type; unknown names ignored),
/// interests (a list of names, or a map of name to flag), whether they replace the current set, and a new secret.
/// </summary>
internal sealed record ProfileChange(JsonObject? Fields, JsonNode? Interests = null, bool ReplaceInterests = false, string? Secret = null);

/// <summary>Limits on what one request may change, taken from the <c>Rest</c> settings.</summary>
internal sealed class ProfileLimits
{
    /// <summary>Most profiles one bulk delete may name (setting <c>Rest:MaxBulkDelete</c>).</summary>
    public int MaxBulkDelete { get; set; }
}

/// <summary>
/// Profiles of a database: search, read, create, change, remove, one at a time or in bulk. Field values are
/// normalised as Copernica does (per field type, never rejected), and every change is recorded in the event journal
/// in the same transaction as the change itself (change capture), with the old and new values and the front end that
/// made it (<c>source</c>: <c>rest</c>, …).
/// </summary>
internal sealed class ProfileService(ProfileStore store, IOptions<ProfileLimits> limits)
{
    /// <summary>A profile of the account by id, removed or not; Copernica's "No profile" rejection otherwise.</summary>
    public Task<ProfileView> RequireAsync(long accountId, string id, CancellationToken ct) => store.RequireAsync(accountId, id, ct);

    public Task<ProfilePage> SearchAsync(DatabaseRecord database, ProfileSearch search, CancellationToken ct) => store.ListAsync(database, search, ct);

    /// <summary>Ids of every profile of the database that is not removed, in id order.</summary>
    public Task<IReadOnlyList<long>> IdsAsync(DatabaseRecord database, CancellationToken ct) => store.IdsAsync(database, ct);

    /// <summary>The interests the profile has, in the database's order.</summary>
    public async Task<IReadOnlyList<InterestRecord>> InterestsAsync(long accountId, string id, CancellationToken ct)
    {
        var p = await RequireAsync(accountId, id, ct);
        return p.AllInterests.Where(i => p.Interests.Contains(i.Id)).ToList();
    }

    /// <param name="source">Which front end made the change (<c>rest</c>, …), recorded with it.</param>
    public Task<long> CreateAsync(DatabaseRecord database, ProfileChange change, string source, CancellationToken ct) =>
        store.CreateAsync(database, change.Fields, change.Interests, source, ct);

    /// <summary>The create above, returning the new profile as written (with the database's interests) instead of its id.</summary>
    public Task<ProfileView> CreateViewAsync(DatabaseRecord database, ProfileChange change, string source, CancellationToken ct) =>
        store.CreateViewAsync(database, change.Fields, change.Interests, source, ct);

    /// <summary>Changes one profile; false when nothing changed (then nothing is recorded either).</summary>
    public Task<bool> UpdateAsync(ProfileView profile, ProfileChange change, string source, CancellationToken ct) =>
        store.UpdateAsync(profile.Database.AccountId, profile.Row.Id, change.Fields, change.Interests, change.ReplaceInterests, change.Secret, source, ct);

    /// <summary>
    /// Changes every profile of the database matching all <paramref name="conditions"/>; with
    /// <paramref name="createWhenNone"/> and no match, creates one. Returns the number changed and the id created.
    /// </summary>
    public Task<(int Updated, long? Created)> BulkUpdateAsync(
        DatabaseRecord database, IReadOnlyList<SearchCondition> conditions, ProfileChange change, bool createWhenNone, string source, CancellationToken ct) =>
        store.BulkUpdateAsync(database, conditions, change.Fields, change.Interests, createWhenNone, source, ct);

    /// <summary>The bulk update above, also telling which profiles matched (id order), for an answer that lists them.</summary>
    public Task<(IReadOnlyList<long> Matched, int Updated, long? Created)> BulkUpdateMatchingAsync(
        DatabaseRecord database, IReadOnlyList<SearchCondition> conditions, ProfileChange change, bool createWhenNone, string source, CancellationToken ct) =>
        store.BulkUpdateMatchingAsync(database, conditions, change.Fields, change.Interests, createWhenNone, source, ct);

    /// <summary>Removes a profile, its interests and its subprofiles; the row stays as a tombstone.</summary>
    /// <param name="keepModified">Leave <c>modified</c> as it was (Copernica's v2 did).</param>
    public Task DeleteAsync(ProfileView profile, string source, bool keepModified, CancellationToken ct) =>
        store.DeleteAsync(profile.Database.AccountId, profile.Row.Id, source, keepModified, ct);

    /// <summary>Removes the listed profiles of the database, all or nothing: an unknown or removed id removes none.</summary>
    public Task<int> BulkDeleteAsync(DatabaseRecord database, IReadOnlyList<long> ids, string source, bool keepModified, CancellationToken ct)
    {
        var max = limits.Value.MaxBulkDelete;
        if (ids.Count > max) throw new RequestRejectedException($"Too many profiles in one delete: at most {max} (setting Rest:MaxBulkDelete)");
        return store.BulkDeleteAsync(database, ids, source, keepModified, ct);
    }
}
