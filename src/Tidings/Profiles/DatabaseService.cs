using System.Text.Json.Nodes;
using Tidings.Audit;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>A database with everything shown with it: its fields, interests, and collections with their fields.</summary>
internal sealed record DatabaseDetails(DatabaseRecord Database, FieldSet Fields, IReadOnlyList<InterestRecord> Interests, IReadOnlyList<CollectionDetails> Collections);

/// <summary>A collection with its fields.</summary>
internal sealed record CollectionDetails(CollectionRecord Collection, FieldSet Fields);

/// <summary>What to set on a database or collection; null leaves a value as it is (on create: empty, not archived).</summary>
internal sealed record DatabaseChange(string? Name, string? Description, bool? Archived = null);

/// <summary>The unsubscribe behaviour as given: <c>nothing</c>, <c>remove</c> or <c>update</c>, and the fields an update sets.</summary>
internal sealed record UnsubscribeChange(string? Behavior, JsonNode? Fields);

/// <summary>The communication intentions to set; null leaves one as it is.</summary>
internal sealed record IntentionsChange(bool? Email, bool? Sms, bool? Fax, bool? Pdf);

/// <summary>
/// Databases of an account: found by id or (case-insensitive) name, listed with their details, created, changed, and
/// their unsubscribe behaviour and intentions. What REST, SOAP and the dashboard share.
/// </summary>
internal sealed class DatabaseService(DatabaseStore store, FieldStore fields, InterestStore interests, AuditTrail audit)
{
    /// <summary>A database of the account by numeric id or name; Copernica's "No database" rejection otherwise.</summary>
    public Task<DatabaseRecord> RequireAsync(long accountId, string idOrName, CancellationToken ct) =>
        store.RequireDatabaseAsync(accountId, idOrName, ct);

    public async Task<(IReadOnlyList<DatabaseDetails> Items, long Total)> ListAsync(long accountId, long offset, long take, CancellationToken ct)
    {
        var (items, total) = await store.ListDatabasesAsync(accountId, offset, take, ct);
        var details = new List<DatabaseDetails>();
        foreach (var d in items) details.Add(await DetailsAsync(d, ct));
        return (details, total);
    }

    public async Task<DatabaseDetails> GetAsync(long accountId, string idOrName, CancellationToken ct) =>
        await DetailsAsync(await RequireAsync(accountId, idOrName, ct), ct);

    public Task<long> CreateAsync(long accountId, DatabaseChange change, CancellationToken ct) =>
        store.CreateDatabaseAsync(accountId, change.Name ?? "", change.Description ?? "", change.Archived ?? false, ct);

    public Task UpdateAsync(DatabaseRecord database, DatabaseChange change, CancellationToken ct) =>
        store.UpdateDatabaseAsync(database, change.Name, change.Description, change.Archived, ct);

    /// <summary>
    /// Removes the database and everything in it (see <see cref="DatabaseStore.RemoveDatabaseAsync"/> for what is
    /// refused and why no per-profile events are journaled), recorded in the audit log. Returns the number of profiles it held.
    /// </summary>
    public async Task<long> RemoveAsync(DatabaseRecord database, CancellationToken ct)
    {
        var profiles = await store.RemoveDatabaseAsync(database, ct);
        await audit.RecordAsync(database.AccountId, AuditActions.Deleted, AuditTargets.Database, database.Id, $"{database.Name}, with {profiles} profiles", ct);
        return profiles;
    }

    public Task SetUnsubscribeAsync(DatabaseRecord database, UnsubscribeChange change, CancellationToken ct)
    {
        var (behavior, fieldsJson) = UnsubscribeRules.Apply(change, database.UnsubscribeBehavior);
        return store.SetDatabaseUnsubscribeAsync(database.Id, behavior, fieldsJson, ct);
    }

    public Task SetIntentionsAsync(DatabaseRecord database, IntentionsChange change, CancellationToken ct) =>
        store.SetDatabaseIntentionsAsync(database.Id, UnsubscribeRules.Intentions(change, database.Intentions), ct);

    private async Task<DatabaseDetails> DetailsAsync(DatabaseRecord d, CancellationToken ct)
    {
        var collections = new List<CollectionDetails>();
        foreach (var c in await store.ListCollectionsAsync(d.Id, ct)) collections.Add(new CollectionDetails(c, await fields.ListAsync(d.Id, c.Id, ct)));
        return new DatabaseDetails(d, await fields.ListAsync(d.Id, 0, ct), await interests.ListAsync(d.Id, ct), collections);
    }
}

/// <summary>The rules for unsubscribe behaviour and intentions, the same for databases and collections.</summary>
internal static class UnsubscribeRules
{
    private static readonly string[] Behaviors = ["nothing", "remove", "update"];

    /// <summary>The behaviour (trimmed, lower case; kept when not given) and the fields an update sets, as JSON.</summary>
    public static (string Behavior, string FieldsJson) Apply(UnsubscribeChange change, string current)
    {
        var behavior = change.Behavior?.Trim().ToLowerInvariant() ?? current;
        if (!Behaviors.Contains(behavior)) throw new RequestRejectedException($"Invalid behavior '{behavior}': expected nothing, remove or update");
        if (change.Fields is not null and not JsonObject) throw new RequestRejectedException("Invalid value for 'fields': expected an object of field names and values");
        return (behavior, (change.Fields as JsonObject)?.ToJsonString() ?? "{}");
    }

    /// <summary>The stored intentions with the given ones set over them.</summary>
    public static string Intentions(IntentionsChange change, string currentJson)
    {
        var current = JsonNode.Parse(currentJson) as JsonObject ?? [];
        if (change.Email is { } email) current["email"] = email;
        if (change.Sms is { } sms) current["sms"] = sms;
        if (change.Fax is { } fax) current["fax"] = fax;
        if (change.Pdf is { } pdf) current["pdf"] = pdf;
        return current.ToJsonString();
    }
}
